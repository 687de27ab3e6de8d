import type { Command } from "commander";

/** A sub-command adds itself to the program; each lives in its own file beside this one. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
