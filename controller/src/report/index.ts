/** The HTML report of an experiment run: one self-contained file. */

export { type ReportInput, type ReportLook, renderReport } from "./render-report.js";
