import type { Rule } from './types.js';

/**
 * Every rule, explicitly listed. test/rules/registry.test.ts checks this list matches the folder.
 */
export const RULES: Rule[] = [];
