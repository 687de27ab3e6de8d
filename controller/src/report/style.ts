/** The report's inline stylesheet. */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;background:#f6f7f9;margin:0}
main{max-width:980px;margin:0 auto;padding:24px 28px;background:#fff;min-height:100vh}
h1{font-size:24px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #e3e6eb;padding-bottom:4px}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
.summary dt{color:#5b6472}.summary dd{margin:0;font-weight:600}
.reason{font-size:16px;font-weight:600}.explain{color:#333;padding-left:20px}.note{color:#5b6472}
table{border-collapse:collapse;margin:8px 0 16px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #e3e6eb;padding:4px 8px;text-align:left}thead th{background:#f0f2f5}
td.pass{background:#e8f6ea}td.fail{background:#fde8e8}td.undecided{background:#fff7e0}
.mark{font-weight:700}td.pass .mark{color:#1e7b34}td.fail .mark{color:#b42318}td.undecided .mark{color:#8a6d00}
figure.chart{margin:10px 0 18px}figcaption{font-weight:600;margin-bottom:4px}
svg{background:#fff;overflow:visible}
.axis{stroke:#5b6472;stroke-width:1}.grid{stroke:#eef0f3;stroke-width:1}
.tick,.label,.legend-item text,.guide text{font-size:11px;fill:#5b6472}
.series polyline{fill:none;stroke:currentColor;stroke-width:1.5}
.series .interval{stroke:currentColor;stroke-width:2;opacity:.45}
.series .point{fill:currentColor}
.guide line{stroke:#b42318;stroke-dasharray:5 4;stroke-width:1}.guide text{fill:#b42318}
table.looks{font-size:12px}footer{margin-top:24px;color:#8a93a0;font-size:12px}
`;
