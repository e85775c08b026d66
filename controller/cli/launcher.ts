#!/usr/bin/env node
// The `meridian` executable (package.json "bin"; in a checkout `npm run meridian -- …`): checks the
// Node.js first (node-guard.ts), then loads the CLI. The static import settles the runtime before
// the dynamic one loads anything that needs Node.js 22.19+.
import "./node-guard.js";

await import("./main.js");
