// `meridian completion bash|zsh`: shell completion scripts generated from the command tree itself,
// so a new command or flag completes without editing a script. The script is pure text (tested);
// the tree is read from commander.
import type { Command } from "commander";

export interface CommandSpec {
  readonly name: string;
  /** Flags, long and short: `--output`, `-o`. */
  readonly options: readonly string[];
  readonly subcommands: readonly CommandSpec[];
}

/** Values offered after a flag (everything else completes as a free value). */
const FLAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  "--output": ["table", "json", "yaml"],
  "-o": ["table", "json", "yaml"],
};

export const SHELLS = ["bash", "zsh"] as const;
export type Shell = (typeof SHELLS)[number];

export function commandSpec(command: Command): CommandSpec {
  const options = command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined));
  const choices = command.registeredArguments.flatMap((argument) => argument.argChoices ?? []);
  return {
    name: command.name(),
    options: [...choices, ...[...options, "--help", "-h"].sort()],
    subcommands: command.commands.map(commandSpec),
  };
}

interface PathWords {
  readonly path: string;
  readonly words: readonly string[];
}

function paths(spec: CommandSpec, prefix: string): PathWords[] {
  const here: PathWords = { path: prefix, words: [...spec.subcommands.map((sub) => sub.name), ...spec.options] };
  return [here, ...spec.subcommands.flatMap((sub) => paths(sub, prefix === "" ? sub.name : `${prefix} ${sub.name}`))];
}

const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

function bashFunction(spec: CommandSpec): string {
  const all = paths(spec, "");
  const commandPaths = all.filter((entry) => entry.path !== "").map((entry) => quote(entry.path));
  const cases = all.map((entry) => `    ${quote(entry.path)}) words=${quote(entry.words.join(" "))} ;;`);
  const valueCases = Object.entries(FLAG_VALUES).map(([flag, values]) => `    ${flag}) COMPREPLY=($(compgen -W ${quote(values.join(" "))} -- "$cur")); return ;;`);
  return [
    `_${spec.name}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" next word words i',
    '  case "$prev" in',
    ...valueCases,
    "  esac",
    "  for ((i = 1; i < COMP_CWORD; i++)); do",
    '    word="${COMP_WORDS[i]}"',
    '    [[ "$word" == -* ]] && continue',
    '    next="${path:+$path }$word"',
    '    case "$next" in',
    `      ${commandPaths.join("|")}) path="$next" ;;`,
    "    esac",
    "  done",
    '  case "$path" in',
    ...cases,
    "    *) words='' ;;",
    "  esac",
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    "}",
    `complete -F _${spec.name} ${spec.name}`,
  ].join("\n");
}

/** The completion script for `shell`; install with `source <(meridian completion bash)`. */
export function completionScript(spec: CommandSpec, shell: Shell): string {
  const body = bashFunction(spec);
  if (shell === "bash") return `# bash completion for ${spec.name}: source <(${spec.name} completion bash)\n${body}\n`;
  // zsh runs the same function through its bash-completion layer (bashcompinit), as many CLIs do.
  return `#compdef ${spec.name}\n# zsh completion for ${spec.name}: source <(${spec.name} completion zsh)\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${body}\n`;
}
