// The scenario schema's validator, generated into dist/ by scripts/build-schema-validator.mjs
// (`npm run build`) with Ajv's standalone code; this file declares it for the compiler.
import type { ValidateFunction } from 'ajv';

export declare const validate: ValidateFunction;
export default validate;
