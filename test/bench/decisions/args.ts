/** The benchmark's command line: `--runs N`, `--scenario NAME` (repeatable), `--no-fleet`. */
export interface BenchArgs {
  runs: number;
  scenarios: string[];
  fleet: boolean;
}

export const DEFAULT_RUNS = 1000;

export function parseArgs(argv: string[], known: string[]): BenchArgs {
  const out: BenchArgs = { runs: DEFAULT_RUNS, scenarios: [], fleet: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--runs") {
      out.runs = Number(value());
      if (!(Number.isInteger(out.runs) && out.runs >= 1))
        throw new Error(`--runs must be an integer ≥ 1, got ${argv[i]}`);
    } else if (a === "--scenario") {
      const name = value();
      if (!known.includes(name))
        throw new Error(`--scenario: unknown scenario ${name}; one of ${known.join(", ")}`);
      out.scenarios.push(name);
    } else if (a === "--no-fleet") out.fleet = false;
    else if (a === "--help" || a === "-h") {
      console.log(
        `usage: npm run bench:decisions -- [--runs N] [--scenario NAME]... [--no-fleet]\nscenarios: ${known.join(", ")}`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}; try --help`);
  }
  if (out.scenarios.length === 0) out.scenarios = known;
  return out;
}
