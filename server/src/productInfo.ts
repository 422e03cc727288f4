/** Facts about the product that several faces print (CLI version, diagnostic documentation links). */
import packageJson from '../../package.json';

export const PRODUCT_VERSION: string = packageJson.version;

/** Rules are documented in the README under headings named after their ids. */
export const DOCS_BASE_URL = `${packageJson.repository.url.replace(/\.git$/, '')}/blob/main/README.md`;
