import { describe, expect, it } from "vitest";
import { isSecretName } from "../../../engine/secrets/index.js";

describe("isSecretName", () => {
  it.each([
    "db_password",
    "PASSWORD",
    "apiToken",
    "API_KEY",
    "ssh_key",
    "client_secret",
    "Secret",
    "rails_password",
  ])("treats %s as a secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "primary_ip",
    "keyboard",
    "passwords",
    "token_count",
    "secret_name",
    "user",
    "",
  ])("does not treat %j as a secret", (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('applies the SPEC literally: any name ending in "key" is a secret, monkey included', () => {
    expect(isSecretName("monkey")).toBe(true);
    expect(isSecretName("turkey")).toBe(true);
  });
});
