/** A tag pulled out of a stat name: `name` becomes the Prometheus label, `value` its value. */
export interface Tag {
  name: string;
  value: string;
}

/** A stats_tags entry of Envoy's bootstrap: a tag name and a regex (std::regex, ECMAScript). */
export interface TagSpecifier {
  tagName: string;
  regex: string;
}

/** Istio's `extraStatTags` entry for one tag name: `(<tag>=\.=(.*?);\.;)`. */
export function istioTagSpecifier(tagName: string): TagSpecifier {
  const escaped = tagName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { tagName, regex: `(${escaped}=\\.=(.*?);\\.;)` };
}

/**
 * Envoy's tag extraction (source/common/stats/tag_extractor_impl.cc,
 * TagExtractorStdRegexImpl::extractTag, and TagProducerImpl::produceTags): every extractor is
 * tried once on the full name with regex_search; on a match the first sub-match is removed from
 * the name and the second (or the first, when there is no second) is the tag value. Removals are
 * collected as intervals on the original name and applied at the end.
 */
export class TagExtractor {
  private readonly compiled: { tagName: string; re: RegExp }[];

  constructor(specs: TagSpecifier[]) {
    this.compiled = specs.map((s) => ({ tagName: s.tagName, re: new RegExp(s.regex, "d") }));
  }

  extract(name: string): { tagExtractedName: string; tags: Tag[] } {
    const tags: Tag[] = [];
    const remove: [number, number][] = [];
    for (const { tagName, re } of this.compiled) {
      const m = re.exec(name);
      if (!m || m.length < 2 || m[1] === undefined || !m.indices) continue;
      const removeSpan = m.indices[1];
      if (!removeSpan) continue;
      const value = m.length > 2 && m[2] !== undefined ? m[2] : m[1];
      tags.push({ name: tagName, value });
      remove.push([removeSpan[0], removeSpan[1]]);
    }
    if (remove.length === 0) return { tagExtractedName: name, tags };
    const keep: boolean[] = new Array(name.length).fill(true);
    for (const [a, b] of remove) for (let i = a; i < b; i++) keep[i] = false;
    let out = "";
    for (let i = 0; i < name.length; i++) if (keep[i]) out += name[i];
    return { tagExtractedName: out, tags };
  }
}
