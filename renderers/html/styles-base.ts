/**
 * The page's base CSS: colours as custom properties (light, then dark by
 * `prefers-color-scheme`, then print, which always prints light), type,
 * layout, tables, code and callouts. Inline in every page: nothing is fetched.
 */
export const BASE_CSS = `
:root{color-scheme:light dark;
--bg:#fff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--card:#f6f8fa;--code-bg:#f6f8fa;--inline-code:#eff1f3;
--accent:#0969da;--accent-soft:#ddf4ff;--ok:#1a7f37;--ok-soft:#dafbe1;--warn:#9a6700;--warn-line:#d4a72c;--warn-soft:#fff8c5;
--danger:#cf222e;--danger-soft:#ffebe9;--manual:#8250df;--manual-soft:#fbefff;--teal:#0a7d6c;--teal-soft:#d8f6ee;
--edge:#8c959f;--target:#fff8c5;--shadow:0 1px 2px rgba(31,35,40,.06)}
@media (prefers-color-scheme:dark){:root{
--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--card:#151b23;--code-bg:#151b23;--inline-code:#262c36;
--accent:#4493f8;--accent-soft:#121d2f;--ok:#3fb950;--ok-soft:#12261e;--warn:#d29922;--warn-line:#bb8009;--warn-soft:#272115;
--danger:#f85149;--danger-soft:#2d1214;--manual:#ab7df8;--manual-soft:#221834;--teal:#3bc9b0;--teal-soft:#0f2621;
--edge:#656c76;--target:#2e2a14;--shadow:none}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;overflow-wrap:break-word}
a{color:var(--accent)}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
[id]{scroll-margin-top:12px}
code,kbd,pre,samp{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
:not(pre)>code{font-size:.86em;background:var(--inline-code);padding:.12em .36em;border-radius:5px}
kbd{font-size:.82em;border:1px solid var(--border);border-bottom-width:2px;border-radius:5px;padding:.05em .4em;background:var(--card)}
.layout{max-width:980px;margin:0 auto;padding:16px}
@media (min-width:1280px){.layout{display:grid;grid-template-columns:250px minmax(0,920px);gap:40px;max-width:1240px;padding:28px 32px}
.toc{position:sticky;top:0;max-height:100vh;overflow:auto;padding-top:8px}
.layout--single{display:block;max-width:1040px}}
main{min-width:0}
h1,h2,h3,h4,h5,h6{line-height:1.25;margin:1.4em 0 .5em}
h1{font-size:1.75rem}h2{font-size:1.35rem}h3{font-size:1.15rem}
p,ul,ol,blockquote,dl{margin:.6em 0}
blockquote{border-left:4px solid var(--border);margin-left:0;padding:.1em 1em;color:var(--muted)}
hr{border:0;border-top:1px solid var(--border);margin:1.5em 0}
img{max-width:100%}
.muted{color:var(--muted)}
.table-wrap{overflow-x:auto;margin:.6em 0;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.92rem}
th,td{border:1px solid var(--border);padding:5px 10px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}
pre.code,pre.output{margin:0;padding:10px 12px;overflow-x:auto;font-size:13.5px;line-height:1.5;background:var(--code-bg);tab-size:4}
pre code{background:none;padding:0;font-size:inherit;border-radius:0}
.page-head h1{margin:.2em 0 .3em;font-size:1.9rem}
@media (max-width:600px){.page-head h1,main>section.context:first-of-type h1{font-size:1.55rem}}
.page-head .source{color:var(--muted);font-size:.88rem;margin:0}
.summary{display:flex;flex-wrap:wrap;gap:6px 8px;margin:12px 0 4px;padding:0;list-style:none}
.summary li{border:1px solid var(--border);border-radius:999px;padding:1px 10px;font-size:.85rem;background:var(--card)}
.toc summary{font-weight:600;cursor:pointer;padding:4px 0}
.toc ol{margin:.3em 0 1em;padding-left:1.9em;font-size:.92rem}
.toc li{margin:.15em 0}
.toc a{text-decoration:none}.toc a:hover{text-decoration:underline}
.toc .toc-id{color:var(--muted);font-size:.8em}
.chip{display:inline-block;border-radius:999px;padding:0 8px;font-size:.78rem;font-weight:600;line-height:1.6;border:1px solid var(--border);background:var(--card);color:var(--muted);white-space:nowrap}
.chip--manual{color:var(--manual);border-color:var(--manual);background:var(--manual-soft)}
.chip--gate{color:var(--warn);border-color:var(--warn-line);background:var(--warn-soft)}
.chip--secret{color:var(--danger);border-color:var(--danger);background:var(--danger-soft)}
.problems{border:1px solid var(--danger);background:var(--danger-soft);border-radius:8px;padding:8px 14px;margin:14px 0;font-size:.9rem}
.problems ul{margin:.3em 0;padding-left:1.2em}
.problems .sev-warning{color:var(--warn)}.problems .sev-error{color:var(--danger)}
footer.page-foot{margin:40px 0 16px;padding-top:12px;border-top:1px solid var(--border);color:var(--muted);font-size:.82rem}
.callout{border-left:4px solid var(--border);border-radius:6px;background:var(--card);padding:6px 14px;margin:14px 0}
.callout-title{font-weight:600;margin:.35em 0}
.callout-note{font-weight:400;color:var(--muted);font-size:.88em}
.callout--manual{border-color:var(--manual);background:var(--manual-soft)}
.callout--gate{border-color:var(--warn-line);background:var(--warn-soft)}
.callout--note,.callout--info{border-color:var(--accent);background:var(--accent-soft)}
.callout--tip{border-color:var(--ok);background:var(--ok-soft)}
.callout--warning,.callout--caution{border-color:var(--warn-line);background:var(--warn-soft)}
.callout--danger{border-color:var(--danger);background:var(--danger-soft)}
.callout--important{border-color:var(--manual);background:var(--manual-soft)}
details>summary{cursor:pointer}
.step-no{display:inline-flex;align-items:center;justify-content:center;min-width:1.7em;height:1.7em;padding:0 .35em;margin-right:.45em;border-radius:999px;background:var(--accent);color:#fff;font-size:.78em;font-weight:700;vertical-align:.12em}
.step--manual .step-no{background:var(--manual)}.step--gate .step-no{background:var(--warn)}
@media print{:root{color-scheme:light;
--bg:#fff;--fg:#000;--muted:#555;--border:#bbb;--card:#f4f4f4;--code-bg:#f7f7f7;--inline-code:#eee;--accent:#0645ad;--accent-soft:#eef4ff;
--ok:#1a7f37;--ok-soft:#eefbf1;--warn:#7a5200;--warn-line:#c69026;--warn-soft:#fff9df;--danger:#b00020;--danger-soft:#fff0f0;
--manual:#6a3fc1;--manual-soft:#f7f0ff;--teal:#0a6b5d;--teal-soft:#eefaf6;--edge:#777;--target:transparent;--shadow:none}
body{font-size:11pt}
.layout{display:block;max-width:none;padding:0}
.toc,.anchor{display:none}
pre.code,pre.output{white-space:pre-wrap;overflow-wrap:anywhere;overflow:visible}
figure,.check,aside,tr{break-inside:avoid}
h1,h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}
details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none}}
`;
