/** The HTML report of an experiment run: one self-contained file. */

export { assessDarkVersion, type DarkAssessment } from "./dark-version.js";
export { type ReportInput, type ReportLook, renderReport } from "./render-report.js";
