import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  createRedactor,
  MIN_SECRET_LENGTH,
} from "../../../engine/secrets/index.js";

describe("createRedactor", () => {
  it("masks every occurrence of every secret", () => {
    const redactor = createRedactor(["hunter2", "s3cr3t-token"]);
    expect(
      redactor.redact("pw=hunter2 again hunter2, token s3cr3t-token."),
    ).toBe("pw=*** again ***, token ***.");
  });

  it("leaves text without secrets unchanged, and works with no secrets at all", () => {
    expect(
      createRedactor(["hunter2"]).redact("nothing to see; hunter 2; HUNTER2"),
    ).toBe("nothing to see; hunter 2; HUNTER2");
    expect(createRedactor([]).redact("hunter2")).toBe("hunter2");
  });

  it("prefers the longest secret where secrets overlap", () => {
    const redactor = createRedactor(["abc", "abcdef"]);
    expect(redactor.redact("xabcdefx abcx")).toBe("x***x ***x");
  });

  it("treats secrets as literal text, not as patterns", () => {
    const redactor = createRedactor(["a.b*c(d)|e"]);
    expect(redactor.redact("a.b*c(d)|e axbbbc(d)|e")).toBe("*** axbbbc(d)|e");
  });

  it("skips empty secrets and reports secrets too short or blank to mask", () => {
    const redactor = createRedactor(["", "ab", "x", "   ", "long-enough"]);
    expect(redactor.ignored).toEqual(["ab", "x", "   "]);
    expect(redactor.redact("ab x    long-enough")).toBe("ab x    ***");
    expect(MIN_SECRET_LENGTH).toBe(3);
    expect(createRedactor(["abc"]).redact("abcabc")).toBe("******");
  });

  it("masks the URL-encoded form of a secret", () => {
    const redactor = createRedactor(["p@ss/w0rd:1"]);
    expect(
      redactor.redact("postgres://rails:p%40ss%2Fw0rd%3A1@10.0.0.5/app"),
    ).toBe("postgres://rails:***@10.0.0.5/app");
  });

  it("masks the JSON-escaped form of a secret", () => {
    const secret = 'pa"ss\\word';
    const redactor = createRedactor([secret]);
    expect(redactor.redact(JSON.stringify({ password: secret }))).toBe(
      '{"password":"***"}',
    );
  });

  it("masks the base64 form of a secret, and its base64url form", () => {
    const redactor = createRedactor(["hunter2", "???>>>"]);
    expect(
      redactor.redact(`data: ${Buffer.from("hunter2").toString("base64")}`),
    ).toBe("data: ***");
    expect(Buffer.from("???>>>").toString("base64")).toBe("Pz8/Pj4+");
    expect(redactor.redact("jwt=Pz8_Pj4-")).toBe("jwt=***");
  });

  it.each([0, 1, 2])(
    "masks a secret base64-encoded inside a larger blob at byte offset %i (mod 3)",
    (offset) => {
      const secret = "correct-horse-battery";
      const prefix = "user:".slice(0, offset + 3);
      const blob = Buffer.from(`${prefix}${secret}!!`).toString("base64");
      const out = createRedactor([secret]).redact(
        `Authorization: Basic ${blob}`,
      );
      const masked = out.slice("Authorization: Basic ".length);
      const [before = "", after = ""] = masked.split("***");
      expect(masked).toContain("***");
      expect(blob.startsWith(before) && blob.endsWith(after)).toBe(true);
      // Every base64 character that carries only bits of the secret is masked.
      expect(before.length).toBeLessThanOrEqual(
        Math.ceil((prefix.length * 4) / 3),
      );
      expect(blob.length - after.length).toBeGreaterThanOrEqual(
        Math.floor(((prefix.length + secret.length) * 4) / 3),
      );
    },
  );

  it("masks non-ASCII secrets and their URL-encoded form", () => {
    const redactor = createRedactor(["pässwörd"]);
    expect(redactor.redact("pw: pässwörd / p%C3%A4ssw%C3%B6rd")).toBe(
      "pw: *** / ***",
    );
  });

  it("handles short secrets (below the fast matcher threshold) as well as long ones", () => {
    const redactor = createRedactor(["xyz", "a-much-longer-secret"]);
    expect(redactor.redact("xyz a-much-longer-secret xyxyz")).toBe(
      "*** *** xy***",
    );
  });
});
