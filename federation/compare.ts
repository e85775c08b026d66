// Code-unit order: the same on every machine and locale, so sorted output is deterministic.
export { compareStrings } from "../crds/compare.js";
