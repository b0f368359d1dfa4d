// Shared test setup: tests never reach real AWS. Credentials and region are fixed so that an
// SDK client created without explicit configuration cannot pick up a developer's profile.
process.env.AWS_ACCESS_KEY_ID ??= 'AKIAIOSFODNN7EXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret';
process.env.AWS_REGION ??= 'us-east-1';
delete process.env.AWS_PROFILE;
