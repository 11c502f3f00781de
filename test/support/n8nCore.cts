/**
 * Runs the Nexudus node in-process on n8n-core's real execution context: real parameter
 * resolution, real continueOnFail, and real requests through n8n-core's
 * httpRequestWithAuthentication (axios inside), with its expirable-credential re-login path.
 * The credentials helper mirrors what the n8n server does (store, preAuthentication, Bearer).
 */
import { ExecuteContext, LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeParameters,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { NexudusOAuth2Api } from '../../credentials/NexudusOAuth2Api.credentials';
import { Nexudus } from '../../nodes/Nexudus/Nexudus.node';
import { forgetSessions } from '../../nodes/Nexudus/transport/session';
import { DEMO_PASSWORD } from '../emulator/server.cjs';

export const NODE_TYPE = 'n8n-nodes-nexudus.nexudus';

export interface CredentialStore {
	data: ICredentialDataDecryptedObject;
	/** How many times n8n's path ran the credential's preAuthentication (logins). */
	logins: number;
	/** n8n 1.x saves the whole credential object the node passed after a login; 2.x only the token. */
	savesWholeCredential?: boolean;
}

export function credentialStore(data: ICredentialDataDecryptedObject): CredentialStore {
	// A new store stands for a new n8n process: it knows no Nexudus login yet.
	forgetSessions();
	return { data: { accessToken: '', clientId: 'n8n-nodes-nexudus', ...data }, logins: 0 };
}

/** The emulator's admin user, the account most tests run as. */
export function adminStore(
	baseUrl: string,
	overrides: ICredentialDataDecryptedObject = {},
): CredentialStore {
	return credentialStore({
		email: 'admin@example.com',
		password: DEMO_PASSWORD,
		baseUrl,
		...overrides,
	});
}

function nodeTypes(): INodeTypes {
	const node = new Nexudus() as unknown as INodeType;
	return {
		getByName: () => node,
		getByNameAndVersion: () => node,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

/** What n8n's server does with credentials: store, preAuthentication on expiry, Bearer. */
export function credentialsHelper(store: CredentialStore) {
	const type = new NexudusOAuth2Api();
	return {
		getParentTypes: () => [],
		getCredentialsProperties: () => type.properties,
		isCredentialUsableByNode: () => true,
		getDecrypted: async () => ({ ...store.data }),
		updateCredentials: async () => undefined,
		// What n8n's server does for a credential with an expirable field.
		preAuthentication: async (
			helpers: { helpers: unknown },
			credentials: ICredentialDataDecryptedObject,
			_typeName: string,
			_node: INode,
			credentialsExpired: boolean,
		) => {
			if (credentials.accessToken !== '' && !credentialsExpired) return undefined;
			const output = await type.preAuthentication.call(helpers as never, credentials);
			store.logins++;
			const saved = Object.assign(credentials, output);
			store.data = store.savesWholeCredential
				? { ...saved }
				: { ...store.data, ...(output as ICredentialDataDecryptedObject) };
			return saved;
		},
		// As n8n's server: the credential type's own authenticate function.
		authenticate: async (
			credentials: ICredentialDataDecryptedObject,
			_t: string,
			options: IHttpRequestOptions,
		) => await type.authenticate(credentials, options),
	};
}

export interface RunOptions {
	parameters: IDataObject;
	items?: IDataObject[];
	store: CredentialStore;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	timezone?: string;
	abortSignal?: AbortSignal;
	/** Runs the node as one more node of this execution (see newExecution); default a new one. */
	execution?: IRunExecutionData;
}

/** The data of one execution, to run several nodes in it one after the other. */
export function newExecution(): IRunExecutionData {
	return {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			nodeExecutionStack: [],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
}

function nexudusNode(
	parameters: INodeParameters,
	onError: INode['onError'] = 'stopWorkflow',
): INode {
	return {
		id: 'nexudus-node',
		name: 'Nexudus',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { nexudusOAuth2Api: { id: '1', name: 'Nexudus account' } },
		onError,
	};
}

function workflowOf(node: INode, timezone = 'UTC'): Workflow {
	return new Workflow({
		id: 'wf',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypes(),
		settings: { timezone },
	});
}

/**
 * n8n-core's real LoadOptionsContext (what the editor's pickers run in), with `current` as the
 * node's other parameters and `path` as the parameter being filled.
 */
export function loadOptionsContext(
	store: CredentialStore,
	current: INodeParameters = {},
	path = 'parameters.coworker',
): ILoadOptionsFunctions {
	const node = nexudusNode({ resource: 'coworkerInventoryAsset', operation: 'create', ...current });
	const additionalData = {
		currentNodeParameters: node.parameters,
		credentialsHelper: credentialsHelper(store),
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflowOf(node), node, additionalData, path);
}

/** Executes the node once over the given items, as n8n would; returns its output. */
export async function runNexudusNode(options: RunOptions): Promise<INodeExecutionData[][]> {
	const node = nexudusNode(options.parameters as INodeParameters, options.onError);
	const workflow = workflowOf(node, options.timezone);
	const input: INodeExecutionData[] = (options.items ?? [{}]).map((json, index) => ({
		json,
		pairedItem: { item: index },
	}));
	const additionalData = {
		credentialsHelper: credentialsHelper(options.store),
		hooks: undefined,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'user',
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = options.execution ?? newExecution();
	const executeData: IExecuteData = { node, data: { main: [input] }, source: null };
	const context = new ExecuteContext(
		workflow,
		workflow.getNode('Nexudus') as INode,
		additionalData,
		'manual',
		runExecutionData,
		0,
		input,
		{ main: [input] },
		executeData,
		[],
		options.abortSignal,
	);
	return await new Nexudus().execute.call(context);
}
