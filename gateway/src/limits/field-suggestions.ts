import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

// graphql-armor ships suggestion masking only as an envelop plugin: its validation-end hook
// rewrites each error's message in place. Apollo Server has no envelop, so the hook is called
// directly with the validation errors; the empty mask drops the sentence altogether.
const armorMasking = blockFieldSuggestionsPlugin({ mask: '' }) as {
  onValidate(
    payload: object,
  ): (end: {
    valid: boolean;
    result: readonly Error[];
    setResult(errors: readonly Error[]): void;
  }) => void;
};

// graphql-armor's pattern matches `Did you mean "x"?`; graphql-js words enum hints differently.
const ENUM_SUGGESTION = /\s*Did you mean the enum value ".+"\?/g;

/**
 * Removes the "Did you mean …" hints from errors (validation, variable values), in place, so
 * that a caller who may not introspect cannot map the schema by guessing names.
 */
export function hideFieldSuggestions(errors: readonly Error[]): void {
  if (errors.length === 0) return;
  armorMasking.onValidate({})({ valid: false, result: errors, setResult: () => undefined });
  for (const error of errors) error.message = error.message.replace(ENUM_SUGGESTION, '').trim();
}
