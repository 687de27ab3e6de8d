/** `npm run generate`: writes the Experiment CRD generated from the schema into deploy/crds/. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CRD_FILE, experimentCrdYaml } from "./core/experiment/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const target = resolve(root, CRD_FILE);
await mkdir(dirname(target), { recursive: true });
await writeFile(target, experimentCrdYaml());
process.stdout.write(`wrote ${CRD_FILE}\n`);
