import { chromiumVersion, ensureChromium } from './chromium';

// Runs before `npm test`: the dashboard's end-to-end tests drive Chromium, and a first-time install shows its
// progress up front instead of inside a test's timeout.
try {
  const path = await ensureChromium((message) => console.log(message));
  console.log(`Chromium: ${path} (${await chromiumVersion(path)})`);
} catch (error) {
  console.error(`[ensure-chromium] ${(error as Error).message}`);
  process.exitCode = 1;
}
