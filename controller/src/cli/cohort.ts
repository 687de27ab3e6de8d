#!/usr/bin/env node
/** Entry point of the `cohort` binary (package.json `bin`). */
import { main } from "./program.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
