/** What a route answers; the server turns it into HTTP (or replaces it, for injected faults). */
export interface ApiResponse {
	status: number;
	/** Serialized as JSON; left out for an empty body. */
	body?: unknown;
	headers?: Record<string, string>;
	statusMessage?: string;
}

export interface FieldError {
	AttemptedValue: unknown;
	Message: string;
	PropertyName: string;
}

export function json(status: number, body: unknown): ApiResponse {
	return { status, body };
}

export function message(status: number, text: string): ApiResponse {
	return { status, body: { Message: text } };
}

export const UNAUTHORIZED = message(401, 'Authorization has been denied for this request.');
export const SERVER_ERROR = message(500, 'An error has occurred.');

export function forbidden(role: string): ApiResponse {
	return message(403, `You do not have permission to perform this action. Required role: ${role}`);
}

export function notFound(entity: string): ApiResponse {
	return message(404, `${entity} not found`);
}

function summary(errors: FieldError[]): string {
	return errors.map((error) => `${error.PropertyName}: ${error.Message}`).join(', ');
}

/** HTTP 400 validation failure, shaped like the vendor's example. */
export function validationFailed(errors: FieldError[]): ApiResponse {
	return json(400, { Message: summary(errors), Value: null, Errors: errors, WasSuccessful: false });
}

interface ActionResult {
	status: number;
	message: string;
	value: unknown;
	errors: FieldError[] | null;
	updatedOn: string | null;
	updatedBy: string | null;
}

function actionBody(result: ActionResult): Record<string, unknown> {
	return {
		Status: result.status,
		Message: result.message,
		Value: result.value,
		OpenInDialog: false,
		OpenInWindow: false,
		RedirectURL: null,
		JavaScript: null,
		UpdatedOn: result.updatedOn,
		UpdatedBy: result.updatedBy,
		Errors: result.errors,
		WasSuccessful: result.errors === null,
	};
}

export function actionSucceeded(
	text: string,
	id: number,
	updatedOn: string,
	updatedBy: string,
): ApiResponse {
	return json(
		200,
		actionBody({
			status: 200,
			message: text,
			value: { Id: id },
			errors: null,
			updatedOn,
			updatedBy,
		}),
	);
}

/** The trap clients fall into: HTTP 200 whose body says the action failed. */
export function actionFailedWith200(error: FieldError): ApiResponse {
	return json(
		200,
		actionBody({
			status: 500,
			message: summary([error]),
			value: null,
			errors: [error],
			updatedOn: null,
			updatedBy: null,
		}),
	);
}

export function deleted(): ApiResponse {
	return json(200, {
		Status: 200,
		WasSuccessful: true,
		Message: 'The record was deleted successfully.',
		Value: null,
		Errors: null,
	});
}
