#!/usr/bin/env node
import { main } from "./program.js";

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv);
