import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readPacing } from '../../helpers/parameters';

import { simplifyCoworker } from './coworker';
import { createMember, newMemberProperties, readNewMember } from './newMember';

export const description = updateDisplayOptions(
	{ show: { resource: ['coworker'], operation: ['create'] } },
	newMemberProperties,
);

/**
 * Creates a member (Nexudus accepts several with one e-mail: use Find or Create to create only
 * when none of this e-mail and type exists). Created once even when the answer is lost.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const member = await readNewMember(this, itemIndex, pacing);
	// Only a member created from now on can be this create's: no list before sending.
	const { record, recovered } = await createMember(this, member, [], itemIndex, pacing);
	return this.helpers.constructExecutionMetaData(
		this.helpers.returnJsonArray({
			...simplifyCoworker(record),
			created: true,
			...(recovered ? { recoveredAfterFault: true } : {}),
		}),
		{ itemData: { item: itemIndex } },
	);
}
