import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { quoteForMessage } from '../../helpers/errors';
import { readPacing } from '../../helpers/parameters';

import { coworkerTypeOf, described, findCoworkersByEmail, simplifyCoworker } from './coworker';
import type { NewMember } from './newMember';
import { alonePerMember, createMember, newMemberProperties, readNewMember } from './newMember';

export const description = updateDisplayOptions(
	{ show: { resource: ['coworker'], operation: ['findOrCreate'] } },
	newMemberProperties,
);

/**
 * The one existing member of this e-mail and type (several: the one at the home location), or
 * undefined when there is none. A tie those cannot break fails the item, listing the candidates.
 */
function existingMember(
	ctx: IExecuteFunctions,
	records: IDataObject[],
	member: NewMember,
	itemIndex: number,
): { record: IDataObject; matchedBy: string } | undefined {
	const ofType = records.filter((record) => coworkerTypeOf(record) === member.type);
	if (ofType.length === 0) return undefined;
	if (ofType.length === 1) return { record: ofType[0], matchedBy: 'email and type' };
	const atHome = ofType.filter(
		(record) => Number(record.InvoicingBusinessId) === member.locationId,
	);
	if (atHome.length === 1) {
		return { record: atHome[0], matchedBy: 'email, type and home location' };
	}
	const tied = atHome.length > 1 ? atHome : ofType;
	throw new NodeOperationError(
		ctx.getNode(),
		`${tied.length} ${member.type} coworkers have the email ${quoteForMessage(member.email)}${atHome.length > 1 ? ` at home location ${member.locationId}` : ''}: ${tied.map(described).join(', ')}`,
		{
			description:
				'Nothing was created: the node does not guess. Use Get or Update with one of these Ids, or merge the profiles in Nexudus.',
			itemIndex,
		},
	);
}

/** Outputs the member with this e-mail and type (created: false), or creates it (created: true). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const member = await readNewMember(this, itemIndex, pacing);
	const json = await alonePerMember(member, async (): Promise<IDataObject> => {
		const records = await findCoworkersByEmail(this, member.email, itemIndex, pacing);
		const existing = existingMember(this, records, member, itemIndex);
		if (existing) {
			return {
				...simplifyCoworker(existing.record),
				created: false,
				matchedBy: existing.matchedBy,
			};
		}
		const knownIds = records.map((record) => Number(record.Id));
		const { record, recovered } = await createMember(this, member, knownIds, itemIndex, pacing);
		return {
			...simplifyCoworker(record),
			created: true,
			...(recovered ? { recoveredAfterFault: true } : {}),
		};
	});
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
