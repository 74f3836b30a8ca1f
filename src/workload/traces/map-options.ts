// Checks for the formats' `map:` options.
import { FieldError } from '../../api/field-error.js';
import { parseDuration } from '../../api/duration.js';
import { parseNonNegativeInteger, parseNonNegativeMilli } from '../../api/quantity.js';
import { isExtendedResourceName } from './fields.js';
import { isValidLabelKey } from '../../api/labels.js';
import type { MapOption } from './trace-types.js';

const ok = (fn: () => unknown): boolean => {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof FieldError) return false;
    throw e;
  }
};

export function extendedResourceOption(description: string, dflt: string): MapOption {
  return { description, default: dflt, check: (v) => (typeof v === 'string' && isExtendedResourceName(v) ? null : 'an extended resource name such as example.com/gpu-milli (a domain, "/", a name)') };
}

export function labelKeyOption(description: string, dflt: string): MapOption {
  return { description, default: dflt, check: (v) => (typeof v === 'string' && isValidLabelKey(v) ? null : 'a label key such as example.com/gpu-model') };
}

export function cpuOption(description: string, dflt: string): MapOption {
  return { description, default: dflt, check: (v) => ((typeof v === 'string' || typeof v === 'number') && ok(() => parseNonNegativeMilli(v)) ? null : 'a CPU quantity such as 1 or 500m') };
}

export function bytesOption(description: string, dflt: string): MapOption {
  return { description, default: dflt, check: (v) => ((typeof v === 'string' || typeof v === 'number') && ok(() => parseNonNegativeInteger(v)) ? null : 'a memory quantity such as 512Gi') };
}

export function durationOption(description: string, dflt: string): MapOption {
  return { description, default: dflt, check: (v) => (typeof v === 'string' && ok(() => parseDuration(v)) && parseDuration(v) > 0 ? null : 'a positive duration such as 30m') };
}

export function numberOption(description: string, dflt: number, min: number, max: number): MapOption {
  return { description, default: dflt, check: (v) => (typeof v === 'number' && v > min && v <= max ? null : `a number in (${min}, ${max}]`) };
}

export function enumOption(description: string, values: readonly string[]): MapOption {
  return { description, default: values[0] as string, check: (v) => (typeof v === 'string' && values.includes(v) ? null : `one of ${values.join(', ')}`) };
}
