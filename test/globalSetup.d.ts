export declare const DEFAULT_TEST_DATABASE_URL: string;
export declare function isTestDatabase(name: string): boolean;
export default function dropTestDatabase(): Promise<void>;
