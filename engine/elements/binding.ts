/** How a call activity or a business-rule task picks the version it calls (Zeebe's `bindingType`). */
const BINDING_TYPES = ['latest', 'deployment', 'versionTag'];

/** Zeebe's deployment refusals of a binding, worded as Zeebe words them, for `zeebe:<extension>`. */
export function bindingErrors(
  extension: string,
  binding: { bindingType: string; versionTag?: string | null },
): string[] {
  const errors: string[] = [];
  if (!BINDING_TYPES.includes(binding.bindingType))
    errors.push(
      `Expected attribute 'bindingType' of 'zeebe:${extension}' to be one of 'latest', 'deployment', 'versionTag', but was '${binding.bindingType}'`,
    );
  if (binding.bindingType === 'versionTag' && !binding.versionTag?.trim())
    errors.push(
      `Expected attribute 'versionTag' of 'zeebe:${extension}' to be present when the binding type is 'versionTag'`,
    );
  return errors;
}
