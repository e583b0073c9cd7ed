#!/usr/bin/env node
// kripke's entry point: registers tsx so spec modules (and kripke itself) run as TypeScript.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
