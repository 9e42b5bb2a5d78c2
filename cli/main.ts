#!/usr/bin/env node
import { guardStandardStreams } from "./output.js";
import { main } from "./program.js";

guardStandardStreams();
main(process.argv);
