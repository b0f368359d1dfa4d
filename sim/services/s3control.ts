/**
 * S3 Control, over restXml: the account-level Block Public Access setting. Its requests are
 * signed as `s3`, so it takes the `/v20180820/` paths of S3's signing name and is a service of
 * its own (`s3control`) in the call log and for faults.
 */
import { AwsError } from '../aws-error.js';
import { type RestRoute, restXmlService } from '../protocols/rest-xml.js';
import type { RawRequest, ServiceModule } from '../service.js';
import { publicAccessBlockXml, S3_DIALECT, S3_PAGING_CODES, unknownS3Credentials } from './s3-xml.js';

const XMLNS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
const API_PREFIX = '/v20180820/';

function route(request: RawRequest): RestRoute {
  if (request.method === 'GET' && request.path === `${API_PREFIX}configuration/publicAccessBlock`) {
    const header = request.headers['x-amz-account-id'];
    const accountId = typeof header === 'string' ? header : undefined;
    return {
      operation: 'GetPublicAccessBlock',
      params: accountId === undefined ? {} : { AccountId: accountId },
      handler(call) {
        if (accountId === undefined) {
          throw new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-account-id');
        }
        // S3 Control answers an account's settings to that account only.
        if (accountId !== call.caller.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
        const config = call.sim.estate.accounts[accountId]?.s3.AccountPublicAccessBlock ?? null;
        if (config === null) {
          throw new AwsError(
            'NoSuchPublicAccessBlockConfiguration',
            'The public access block configuration was not found',
            404,
            { fields: { AccountId: accountId } },
          );
        }
        return publicAccessBlockXml(config, XMLNS);
      },
    };
  }
  throw new AwsError(
    'NotImplemented',
    `The simulator does not serve this S3 Control request: ${request.method} ${request.path}`,
    501,
  );
}

export const s3ControlService: ServiceModule = restXmlService({
  name: 's3control',
  signingName: 's3',
  accepts: (request) => request.path.startsWith(API_PREFIX),
  route,
  pagingCodes: S3_PAGING_CODES,
  dialect: S3_DIALECT,
  unknownCredentials: unknownS3Credentials,
  wrapErrors: true,
});
