// Registers the flags of `meridian controller` on a commander command. Commander only collects
// strings (no defaults here, so an absent flag falls through to the environment variable and then
// the default); loadControllerConfig validates them.

import { Option } from "commander";
import type { Command } from "commander";

import { SETTINGS, SETTING_KEYS } from "./settings.js";
import type { Setting } from "./settings.js";

/** The help line: what it does, then where else it can be set and what applies when it is not. */
export function settingHelp(spec: Setting): string {
  const fallback = spec.default === undefined ? (spec.unset ?? "unset") : spec.default;
  return `${spec.help} (env ${spec.env}; default: ${fallback})`;
}

export function controllerOptions(command: Command): Command {
  for (const key of SETTING_KEYS) {
    const spec: Setting = SETTINGS[key];
    const option = new Option(spec.flag, settingHelp(spec));
    if (option.attributeName() !== key) {
      throw new Error(`Setting ${key}: its flag ${spec.flag} is read as ${option.attributeName()}`);
    }
    command.addOption(option);
  }
  return command;
}
