import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { toInt } from './service-config';

/** Trims surrounding white space from a string value. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** PEM keys often arrive on one line with literal "\n". */
export const pem = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\\n/g, '\n').trim() : value);

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** An absolute http(s) URL without credentials in it, named in the message. */
export const HttpUrl = (name: string): PropertyDecorator =>
  ValidateBy({ name: 'isHttpUrl', validator: { validate: isHttpUrl, defaultMessage: () => `${name} must be an absolute http(s) URL` } });

/** A whole number within bounds, with one message naming the variable and the range. */
export function WholeNumber(name: string, min: number, max: number): PropertyDecorator {
  return (target, key) => {
    Transform(toInt)(target, key);
    ValidateBy({
      name: 'wholeNumberInRange',
      validator: {
        validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
        defaultMessage: () => `${name} must be a whole number from ${min} to ${max}`,
      },
    })(target, key);
  };
}

/** A required secret: present, within length bounds, no white space. Its value is never echoed. */
export function SecretString(name: string, minLength: number, maxLength = 512): PropertyDecorator {
  return ValidateBy({
    name: 'secretString',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length >= minLength && value.length <= maxLength && !/\s/.test(value),
      defaultMessage: (args) =>
        typeof args?.value !== 'string'
          ? `${name} is required (at least ${minLength} characters)`
          : `${name} must be ${minLength}-${maxLength} characters without spaces`,
    },
  });
}
