import type { Command } from "commander";
import { registerAnalyze } from "./analyze.js";
import { registerController } from "./controller.js";
import { registerDemo } from "./demo.js";
import { registerDescribe } from "./describe.js";
import { registerFilterDemo } from "./filter-demo.js";
import { registerRoute } from "./route.js";
import { registerRun } from "./run.js";
import { registerSidecar } from "./sidecar.js";
import { registerValidate } from "./validate.js";

/** A sub-command adds itself to the program; each lives in its own file beside this one. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerValidate,
  registerAnalyze,
  registerDescribe,
  registerRoute,
  registerDemo,
  registerFilterDemo,
  registerSidecar,
  registerRun,
  registerController,
];
