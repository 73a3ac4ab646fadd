/** CSS of a run report: states, the session timeline, attempts and output. */
export const REPORT_CSS = `
.state{display:inline-block;border-radius:999px;padding:0 10px;font-size:.82rem;font-weight:700;line-height:1.7;border:1px solid var(--border);background:var(--card);color:var(--muted);white-space:nowrap}
.state--done{color:var(--ok);border-color:var(--ok);background:var(--ok-soft)}
.state--failed,.state--interrupted{color:var(--danger);border-color:var(--danger);background:var(--danger-soft)}
.state--stopped,.state--unknown,.state--unfinished,.state--incomplete{color:var(--warn);border-color:var(--warn-line);background:var(--warn-soft)}
.state--skipped,.state--pending{color:var(--muted)}
.state-big{font-size:1rem;padding:2px 14px}
.run-facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:14px 0;font-size:.93rem}
.run-facts dt{color:var(--muted)}
.run-facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
.final{border-left:4px solid var(--border);padding:6px 14px;border-radius:6px;background:var(--card);margin:12px 0}
.final--done{border-color:var(--ok);background:var(--ok-soft)}
.final--failed,.final--interrupted{border-color:var(--danger);background:var(--danger-soft)}
.final--stopped,.final--unfinished,.final--incomplete{border-color:var(--warn-line);background:var(--warn-soft)}
.timeline{list-style:none;padding:0;margin:10px 0;border-left:2px solid var(--border)}
.timeline li{position:relative;padding:2px 0 10px 18px}
.timeline li::before{content:"";position:absolute;left:-7px;top:8px;width:12px;height:12px;border-radius:50%;background:var(--accent);border:2px solid var(--bg)}
.timeline li.ended-failed::before,.timeline li.ended-interrupted::before{background:var(--danger)}
.timeline li.ended-stopped::before,.timeline li.ended-none::before{background:var(--warn)}
.timeline li.ended-done::before{background:var(--ok)}
.timeline .when{color:var(--muted);font-size:.85rem}
section.rstep{border:1px solid var(--border);border-left:5px solid var(--border);border-radius:10px;padding:2px 16px 10px;margin:20px 0}
section.rstep.rstep--done{border-left-color:var(--ok)}
section.rstep.rstep--failed{border-left-color:var(--danger)}
section.rstep.rstep--unknown{border-left-color:var(--warn-line)}
section.rstep:target{box-shadow:0 0 0 3px var(--accent-soft),0 0 0 4px var(--accent)}
.rstep h2{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;font-size:1.2rem}
.rstep h2 .step-title{flex:1 1 auto;min-width:0}
.attempt{border-top:1px dashed var(--border);padding-top:6px;margin-top:8px}
.attempt h3{font-size:.98rem;margin:.4em 0;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
.attempt h3 .when{color:var(--muted);font-weight:400;font-size:.88rem}
.events{margin:.3em 0;padding-left:1.2em}
.events li{margin:.2em 0}
.who{color:var(--muted)}
.unknown-note{border-left:4px solid var(--warn-line);background:var(--warn-soft);padding:6px 12px;border-radius:6px}
.check-results td.ok{color:var(--ok);font-weight:700}.check-results td.bad{color:var(--danger);font-weight:700}
.check-results code{white-space:pre-wrap;overflow-wrap:anywhere}
details.output{border:1px solid var(--border);border-radius:8px;margin:8px 0;overflow:hidden}
details.output>summary{padding:5px 10px;background:var(--card);font-size:.85rem}
details.output[open]>summary{border-bottom:1px solid var(--border)}
pre.output{max-height:32em;overflow:auto;font-size:12.5px;white-space:pre}
.omitted{color:var(--muted);font-style:italic;font-size:.85rem;margin:4px 10px}
.steps-table .col-step{min-width:11em}
@media (max-width:600px){.steps-table .col-started{display:none}}
.steps-table .num{text-align:right;font-variant-numeric:tabular-nums}
@media print{pre.output{max-height:none;white-space:pre-wrap}}
`;
