import { Argument, Command } from "commander";
import { describe, expect, it } from "vitest";

import { commandSpec, completionScript } from "./completion.js";

function tree(): Command {
  const program = new Command("meridian").version("1.0.0");
  const cluster = program.command("cluster");
  cluster.command("list").option("-o, --output <format>");
  program.command("completion").addArgument(new Argument("<shell>").choices(["bash", "zsh"]));
  return program;
}

describe("completion", () => {
  it("reads commands, flags and argument choices from the command tree", () => {
    expect(commandSpec(tree())).toEqual({
      name: "meridian",
      options: ["--help", "--version", "-V", "-h"],
      subcommands: [
        { name: "cluster", options: ["--help", "-h"], subcommands: [{ name: "list", options: ["--help", "--output", "-h", "-o"], subcommands: [] }] },
        { name: "completion", options: ["bash", "zsh", "--help", "-h"], subcommands: [] },
      ],
    });
  });

  it("gives bash one word list per command path and output formats after -o", () => {
    const script = completionScript(commandSpec(tree()), "bash");
    expect(script).toContain("'cluster'|'cluster list'|'completion') path=\"$next\" ;;");
    expect(script).toContain("'cluster list') words='--help --output -h -o' ;;");
    expect(script).toContain("--output) COMPREPLY=($(compgen -W 'table json yaml' -- \"$cur\")); return ;;");
    expect(script.trimEnd().endsWith("complete -F _meridian meridian")).toBe(true);
  });

  it("gives zsh the same function through bashcompinit", () => {
    const script = completionScript(commandSpec(tree()), "zsh");
    expect(script.startsWith("#compdef meridian\n")).toBe(true);
    expect(script).toContain("autoload -U +X bashcompinit && bashcompinit");
    expect(script).toContain("'completion') words='bash zsh --help -h' ;;");
  });
});
