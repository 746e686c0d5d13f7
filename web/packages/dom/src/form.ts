/** Form-state rules shared by capture and replica. */

/**
 * Input types whose `value` property is the user's text (value mode "value"). For the others the
 * property mirrors the `value` attribute (setting it would add one), or is a file name.
 */
export function hasValueMode(type: string): boolean {
  switch (type) {
    case 'checkbox':
    case 'radio':
    case 'hidden':
    case 'button':
    case 'submit':
    case 'reset':
    case 'image':
    case 'file':
      return false;
    default:
      return true;
  }
}
