import type { PhrasingContent, RootContent } from "mdast";
import type { DocsModel } from "../html/index.js";
import { joined, md } from "./mdast-build.js";

const none = (): PhrasingContent => md.text("—");

/** Params (secrets marked, never valued), databases (passwords masked), hosts and sentinels as GFM tables. */
export function factsMarkdown(model: DocsModel): RootContent[] {
  const { runbook } = model;
  const mask = model.masker.text;
  const out: RootContent[] = [];
  if (runbook.params.length > 0) {
    out.push(md.paragraph(md.strong(md.text("Params"))));
    out.push(
      md.table(
        ["name", "description", "default", "pattern", "rehearsal"],
        runbook.params.map((p) => [
          p.secret ? [md.code(p.name), md.text(" (secret)")] : md.code(p.name),
          p.description !== undefined ? md.text(mask(p.description)) : none(),
          p.secret
            ? md.text(
                p.default !== undefined ? "set, hidden" : "none: asked for",
              )
            : p.default !== undefined
              ? md.code(mask(p.default))
              : md.text("none: asked for"),
          p.pattern !== undefined ? md.code(p.pattern) : none(),
          p.secret
            ? md.text(p.rehearsal !== undefined ? "set, hidden" : "random")
            : p.rehearsal !== undefined
              ? md.code(mask(p.rehearsal))
              : none(),
        ]),
      ),
    );
  }
  if (runbook.databases.length > 0) {
    out.push(md.paragraph(md.strong(md.text("Databases"))));
    out.push(
      md.table(
        ["name", "url", "in a rehearsal"],
        runbook.databases.map((d) => [
          md.code(d.name),
          md.code(mask(d.url)),
          d.sandbox
            ? md.text(
                `cluster ${d.sandbox.cluster}${d.sandbox.seed ? `, seed ${d.sandbox.seed}` : ""}`,
              )
            : none(),
        ]),
      ),
    );
  }
  if (runbook.hosts.length > 0) {
    out.push(md.paragraph(md.strong(md.text("Hosts"))));
    out.push(
      md.table(
        ["name", "ssh"],
        runbook.hosts.map((h) => [md.code(h.name), md.code(mask(h.ssh))]),
      ),
    );
  }
  if (model.sentinels.length > 0) {
    out.push(md.paragraph(md.strong(md.text("Sentinels"))));
    const uses = (
      list: DocsModel["sentinels"][number]["writes"],
      missing: string,
    ): PhrasingContent =>
      list.length === 0
        ? md.strong(md.text(missing))
        : {
            type: "emphasis",
            children: joined(
              list.map((u) => [
                md.link(`#${u.step.id}`, md.text(u.step.title)),
              ]),
              ", ",
            ),
          };
    out.push(
      md.table(
        ["sentinel", "defined", "written in", "verified in"],
        model.sentinels.map((t) => [
          md.code(t.sentinel.name),
          md.text(`line ${t.sentinel.at.line}`),
          uses(t.writes, "never written"),
          uses(t.verifies, "never verified"),
        ]),
      ),
    );
  }
  return out;
}
