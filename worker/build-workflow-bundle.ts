import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { WORKFLOWS_PATH } from './create-worker';

/**
 * Production workers load a prebuilt bundle instead of running webpack at every start
 * (faster start, and the code that runs is the code that was built and tested).
 */
const outputPath = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
console.log(`Bundling ${WORKFLOWS_PATH} …`);
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
await mkdir(dirname(outputPath), { recursive: true });
await writeFile(outputPath, code);
console.log(`Workflow bundle written to ${outputPath} (${(code.length / 1024).toFixed(0)} KiB)`);
