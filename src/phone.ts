/**
 * Phone numbers from directory attributes (free text) to E.164, deciding whether an SMS can reach
 * them. Uses libphonenumber-js with its `max` metadata: only `max` knows number types and real
 * validity (with `min`, getType() is undefined for most regions and isValid() checks length only).
 */
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

/** Why a number cannot be used for SMS. */
export type PhoneRefusal =
  'empty' | 'unparseable' | 'invalid' | 'no_region' | 'extension' | 'fixed_line' | 'not_mobile';

/**
 * The outcome of normalisePhone. `fixed_line_or_mobile` (all of NANP: the US, Canada...) may or
 * may not take SMS: callers should prefer a source that says "mobile" when they have one.
 */
export type PhoneResult =
  | { ok: true; e164: string; type: 'mobile' | 'fixed_line_or_mobile'; region?: string }
  | {
      ok: false;
      reason: PhoneRefusal;
      /** Known once the number parsed, so a refusal can still show it (masked). */
      e164?: string;
      /** libphonenumber's type for `not_mobile` (TOLL_FREE, VOIP ...), for the explanation. */
      numberType?: string;
    };

/** Longer input is no phone number; libphonenumber would refuse it anyway. */
const MAX_INPUT_LENGTH = 250;

/**
 * An SMS-capable E.164 number from what a directory holds (`07400 123456`, `+44 (0)7400 123456`,
 * `0044 7400 123456`, full-width digits, `tel:` URIs, trailing notes), or why not.
 * `defaultRegion` (ISO 3166 alpha-2, e.g. GB) is used for numbers written without a country code.
 */
export function normalisePhone(raw: string, defaultRegion?: string): PhoneResult {
  const text = String(raw ?? '')
    .normalize('NFKC')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .trim()
    .replace(/^tel:/i, '')
    .trim();

  if (text === '') return { ok: false, reason: 'empty' };
  const digitless = !/\d/.test(text);
  if (text.length > MAX_INPUT_LENGTH || digitless) return { ok: false, reason: 'unparseable' };

  const region = supportedRegion(defaultRegion);
  const international = text.startsWith('+');
  const idd = !international && text.startsWith('00');
  if (!international && !idd && !region) return { ok: false, reason: 'no_region' };

  // Parse as written first (the region knows its own international prefix, e.g. 0011 in AU),
  // then read a leading 00 as the international prefix most of the world uses.
  let parsed = parse(text, region);
  if ((!parsed || !parsed.isValid()) && idd) {
    parsed = parse(`+${text.slice(2)}`, undefined) ?? parsed;
  }

  if (!parsed) return { ok: false, reason: idd && !region ? 'no_region' : 'unparseable' };
  if (!parsed.isValid()) return { ok: false, reason: 'invalid', e164: parsed.number };
  if (parsed.ext) return { ok: false, reason: 'extension', e164: parsed.number };

  const type = parsed.getType();
  const country = parsed.country;
  const where = country ? { region: country } : {};
  if (type === 'MOBILE') return { ok: true, e164: parsed.number, type: 'mobile', ...where };
  if (type === 'FIXED_LINE_OR_MOBILE') {
    return { ok: true, e164: parsed.number, type: 'fixed_line_or_mobile', ...where };
  }
  if (type === 'FIXED_LINE') return { ok: false, reason: 'fixed_line', e164: parsed.number };
  return { ok: false, reason: 'not_mobile', e164: parsed.number, numberType: type ?? 'UNKNOWN' };
}

function parse(text: string, region: CountryCode | undefined) {
  try {
    return parsePhoneNumberFromString(text, region ? { defaultCountry: region } : undefined);
  } catch {
    // parsePhoneNumberFromString should not throw; a metadata surprise must not crash a check.
    return undefined;
  }
}

function supportedRegion(region: string | undefined): CountryCode | undefined {
  const upper = region?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
}
