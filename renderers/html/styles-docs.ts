/** CSS of a runbook page: steps, action and check cards, sentinels, the graph, and code colours. */
export const DOCS_CSS = `
section.step{border:1px solid var(--border);border-left:5px solid var(--accent);border-radius:10px;padding:2px 16px 10px;margin:24px 0;box-shadow:var(--shadow)}
section.step.step--manual{border-left-color:var(--manual)}
section.step.step--gate{border-left-color:var(--warn-line)}
section.step:target{box-shadow:0 0 0 3px var(--accent-soft),0 0 0 4px var(--accent)}
section.step>h1:first-child,section.step>h2:first-child,section.step>h3:first-child,section.step>h4:first-child,section.step>h5:first-child,section.step>h6:first-child{margin-top:.7em}
.anchor{margin-left:.35em;color:var(--muted);text-decoration:none;opacity:.35;font-weight:400}
h1:hover .anchor,h2:hover .anchor,h3:hover .anchor,.anchor:focus{opacity:1}
.step-meta{display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px;color:var(--muted);font-size:.85rem;margin:-.2em 0 .8em}
.meta-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-decoration:none}
figure{margin:14px 0}
figure.action,figure.code-shown,.check{border:1px solid var(--border);border-radius:8px;overflow:hidden}
.action-head,.check-head{display:flex;flex-wrap:wrap;align-items:center;gap:5px 6px;padding:6px 10px;background:var(--card);border-bottom:1px solid var(--border);font-size:.8rem}
figure.action--confirm{border-color:var(--warn-line)}
.kind{font-weight:700;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin-right:4px}
.line{margin-left:auto;color:var(--muted);text-decoration:none;font-size:.95em}
.badge{display:inline-flex;align-items:baseline;gap:.3em;max-width:100%;border:1px solid var(--border);border-radius:999px;padding:0 8px;background:var(--bg);line-height:1.65;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;text-decoration:none;color:var(--fg)}
.badge .badge-k{color:var(--muted)}
.badge code.badge-v{background:none;padding:0;font-size:1em;font-weight:600;overflow:hidden;text-overflow:ellipsis}
.badge--accent{border-color:var(--accent)}.badge--accent code.badge-v{color:var(--accent)}
.badge--warn{border-color:var(--warn-line);background:var(--warn-soft)}.badge--warn .badge-k{color:var(--warn);font-weight:600}
.badge--special{border-color:var(--manual)}.badge--special .badge-k{color:var(--manual);font-weight:600}
.badge--sentinel{border-color:var(--teal);background:var(--teal-soft)}.badge--sentinel .badge-k,.badge--sentinel code.badge-v{color:var(--teal)}
.check{border-color:var(--ok);margin:14px 0}
.check-head{background:var(--ok-soft)}
.check-icon{color:var(--ok);font-weight:700}
.check-title{margin:8px 12px 0;font-weight:600}
.assertion{padding:4px 12px 6px}
.assertion-lead{margin:.3em 0 .1em;font-weight:600;font-size:.9rem}
.clauses{margin:.1em 0 .3em;padding-left:1.3em}
.polling{margin:.2em 0;color:var(--muted);font-size:.88rem}
.check .table-wrap{padding:0 12px}
.expect-table .null{color:var(--muted);font-style:italic}
.check pre.code{border-top:1px solid var(--border)}
.check>p,.check>ul,.check>ol{margin-left:12px;margin-right:12px}
.sentinel{border:1px dashed var(--teal);background:var(--teal-soft);border-radius:8px;padding:6px 14px;margin:14px 0}
.sentinel .icon{color:var(--teal)}
.trace{margin:.3em 0;padding-left:1.4em}
.trace-k{display:inline-block;min-width:5.2em;font-weight:600;color:var(--teal)}
.trace-missing{color:var(--danger);font-weight:600}
.directive-source{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;color:var(--muted)}
div.directive-source{font-family:inherit;font-size:inherit;color:inherit}
.directive-fence{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;color:var(--muted);margin:.2em 0}
.facts-title{font-size:1.1rem;margin:1.2em 0 .4em}
.params-table code.param-name{font-weight:600}
.secret-value{color:var(--danger);font-style:italic}
.databases-table td:nth-child(2){min-width:15em}code.url{word-break:break-all}
.sentinel-summary{margin:.4em 0;padding-left:1.2em}.sentinel-summary li{margin:.3em 0}
.graph{border:1px solid var(--border);border-radius:10px;background:var(--card);padding:10px;margin:14px 0}
.graph figcaption{font-size:.85rem;color:var(--muted);margin:0 0 6px}
.graph-scroll{overflow-x:auto}
.chain{display:flex;flex-wrap:wrap;gap:4px 0;list-style:none;margin:0;padding:0}
.chain li{display:flex;align-items:center}
.chain li+li::before{content:'';width:10px;height:2px;background:var(--border)}
.chain a.node--gate{border-color:var(--warn-line);background:var(--warn-soft)}
.chain a.node--manual{border-style:dashed}
.chain a{display:inline-block;min-width:1.7em;padding:1px 5px;border:1px solid var(--border);border-radius:999px;text-align:center;font-size:.8rem;text-decoration:none}
svg.step-graph{display:block;margin:0 auto;max-width:100%;height:auto;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
svg.step-graph .edge{fill:none;stroke:var(--edge);stroke-width:1.5}
svg.step-graph .arrow-head{fill:var(--edge)}
svg.step-graph .node-box{fill:var(--bg);stroke:var(--accent);stroke-width:1.5}
svg.step-graph .node--manual .node-box{stroke:var(--manual);stroke-dasharray:5 3}
svg.step-graph .node--gate .node-box{stroke:var(--warn-line);stroke-width:2}
svg.step-graph a:hover .node-box,svg.step-graph a:focus .node-box{stroke-width:3;fill:var(--accent-soft)}
svg.step-graph .node-no-bg{fill:var(--accent)}
svg.step-graph .node--manual .node-no-bg{fill:var(--manual)}
svg.step-graph .node--gate .node-no-bg{fill:var(--warn)}
svg.step-graph .node-no{fill:#fff;font-size:11px;font-weight:700}
svg.step-graph .node-title{fill:var(--fg);font-size:13px;font-weight:600}
svg.step-graph .node-id{fill:var(--muted);font-size:11px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
svg.step-graph .mark-manual{fill:var(--manual);font-weight:700}svg.step-graph .mark-gate{fill:var(--warn);font-weight:700}svg.step-graph .mark-check{fill:var(--ok);font-weight:700}
.index-table td{vertical-align:middle}
.index-table .title-cell a{font-weight:600}
@media (max-width:600px){.index-table thead{display:none}.index-table,.index-table tbody,.index-table tr,.index-table td{display:block}
.index-table tr{border:1px solid var(--border);border-radius:8px;margin:0 0 10px;padding:6px 0}
.index-table td{border:0;padding:2px 12px}.index-table td.title-cell{font-size:1.05rem;padding-bottom:4px}
.index-table td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.85rem}}
`;

/** highlight.js classes in GitHub's colours, light and dark. */
export const HIGHLIGHT_CSS = `
.hljs-keyword,.hljs-selector-tag,.hljs-type,.hljs-doctag{color:#cf222e}
.hljs-string,.hljs-regexp,.hljs-addition{color:#0a3069}
.hljs-number,.hljs-literal,.hljs-symbol,.hljs-attr,.hljs-attribute,.hljs-meta,.hljs-selector-id{color:#0550ae}
.hljs-comment,.hljs-quote{color:#6e7781;font-style:italic}
.hljs-built_in,.hljs-title,.hljs-section,.hljs-name{color:#8250df}
.hljs-variable,.hljs-template-variable,.hljs-params{color:#953800}
.hljs-deletion{color:#82071e;background:#ffebe9}.hljs-addition{background:#dafbe1}
.hljs-emphasis{font-style:italic}.hljs-strong{font-weight:700}
@media (prefers-color-scheme:dark){
.hljs-keyword,.hljs-selector-tag,.hljs-type,.hljs-doctag{color:#ff7b72}
.hljs-string,.hljs-regexp,.hljs-addition{color:#a5d6ff}
.hljs-number,.hljs-literal,.hljs-symbol,.hljs-attr,.hljs-attribute,.hljs-meta,.hljs-selector-id{color:#79c0ff}
.hljs-comment,.hljs-quote{color:#8b949e}
.hljs-built_in,.hljs-title,.hljs-section,.hljs-name{color:#d2a8ff}
.hljs-variable,.hljs-template-variable,.hljs-params{color:#ffa657}
.hljs-deletion{color:#ffdcd7;background:#67060c}.hljs-addition{background:#033a16}}
@media print{.hljs-keyword,.hljs-selector-tag,.hljs-type{color:#a0111f}.hljs-string{color:#0a3069}.hljs-comment{color:#555}
.hljs-number,.hljs-literal,.hljs-meta,.hljs-attr{color:#0550ae}.hljs-built_in,.hljs-title{color:#6a3fc1}.hljs-variable,.hljs-template-variable{color:#953800}}
`;
