// Lint budgets and the one dependency direction of the codebase:
//   crds  <-  controller/core (pure)  <-  controller (I/O)  <-  entry points
//   federation never imports controller.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const budgets = {
  complexity: ["error", 10],
  "max-depth": ["error", 3],
  "max-params": ["error", 4],
  "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
  "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
};

// Everything the pure planner may not reach for: I/O libraries, Node built-ins, the outside world.
const impurePackages = [
  { group: ["node:*", "fs", "path", "os", "child_process", "http", "https", "net", "crypto"], message: "controller/core is pure: no Node built-ins." },
  { group: ["@kubernetes/*", "bullmq", "ioredis", "pino", "prom-client", "commander"], message: "controller/core is pure: no I/O libraries." },
  { regex: "^\\.\\./(?!\\.\\./crds/)", message: "controller/core may import only crds/ and itself." },
];
const impureGlobals = [
  { name: "process", message: "controller/core is pure: no process or environment." },
  { name: "setTimeout", message: "controller/core is pure: no timers." },
  { name: "setInterval", message: "controller/core is pure: no timers." },
  { name: "setImmediate", message: "controller/core is pure: no timers." },
  { name: "console", message: "controller/core is pure: no logging." },
  { name: "fetch", message: "controller/core is pure: no I/O." },
];
const impureSyntax = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "controller/core is pure: take time as an input." },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "controller/core is pure: take time as an input." },
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "controller/core is pure: no randomness." },
];

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "coverage/**", "deploy/**"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      ...budgets,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    files: ["controller/core/**/*.ts"],
    ignores: ["controller/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: impurePackages }],
      "no-restricted-globals": ["error", ...impureGlobals],
      "no-restricted-syntax": ["error", ...impureSyntax],
    },
  },
  {
    files: ["federation/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/controller/**", "../controller/*"], message: "federation never imports controller." }] }],
    },
  },
  {
    files: ["crds/**/*.ts"],
    ignores: ["crds/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/controller/**", "**/federation/**", "../controller/*", "../federation/*"], message: "crds/ is the bottom layer: it imports nothing of Meridian's." }] }],
    },
  },
  {
    // Tests, benchmarks and entry points may print and read the environment.
    files: ["**/*.test.ts", "e2e/**/*.ts", "controller/cli/**/*.ts"],
    rules: { "no-console": "off", "max-lines-per-function": "off" },
  },
);
