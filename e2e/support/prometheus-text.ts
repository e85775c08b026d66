// Prometheus text exposition, read just enough for tests: the sum of a metric's series.

/** The sum of `name`'s series whose line contains every one of `matches` (label fragments). */
export function seriesSum(text: string, name: string, ...matches: readonly string[]): number {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => matches.every((match) => line.includes(match)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}
