import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PacingSettings } from '../../transport/pacing';
import { nexudusApiRequest } from '../../transport';

export const ENDPOINT = '/api/spaces/coworkerinventoryassets';

/** The whole record (list records are partial: never build a PUT from one). */
export async function fetchAssignment(
	this: IExecuteFunctions,
	id: number,
	itemIndex: number,
	pacing?: PacingSettings,
): Promise<IDataObject> {
	return (await nexudusApiRequest.call(this, {
		method: 'GET',
		endpoint: `${ENDPOINT}/${id}`,
		role: 'CoworkerInventoryAsset-Read',
		subject: `coworker inventory asset ${id}`,
		itemIndex,
		pacing,
	})) as IDataObject;
}
