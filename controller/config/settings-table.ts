// The settings as a Markdown table, for README.md (a unit test keeps the README's copy current).

import { SETTINGS, SETTING_KEYS } from "./settings.js";
import type { Setting } from "./settings.js";

function cell(text: string): string {
  return text.replace(/[|<>]/g, (char) => `\\${char}`);
}

export function settingsTable(): string {
  const rows = SETTING_KEYS.map((key) => {
    const spec: Setting = SETTINGS[key];
    const fallback = spec.default === undefined ? (spec.unset ?? "unset") : `\`${spec.default}\``;
    return `| \`${spec.flag}\` | \`${spec.env}\` | ${cell(fallback)} | ${cell(spec.help)} |`;
  });
  return ["| flag | environment variable | default | what |", "|---|---|---|---|", ...rows].join("\n");
}
