/** Errors of the demo REST server, as Databricks' REST APIs answer them: `{ error_code, message }` with an HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}
export const invalid = (m: string) => new HttpError(400, 'INVALID_PARAMETER_VALUE', m);
export function notFound(id: string) {
  return new HttpError(404, 'RESOURCE_DOES_NOT_EXIST', `The specified pipeline ${id} was not found.`);
}
