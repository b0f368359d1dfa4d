/**
 * The AWS objects custos reads, in AWS's own field names (the shapes SDK v3 returns).
 *
 * One definition serves three readers: the estate loader (hand-written or recorded estates),
 * the collectors (every SDK answer is parsed through these before a check sees it) and the
 * checks (their input types are inferred from here). Only the fields custos reads are
 * declared; extra fields are allowed and dropped, since real responses carry far more.
 * A declared field of the wrong type is an error named by its path.
 */
import { z } from 'zod';

const str = z.string();
const optStr = z.string().optional();
const optInt = z.int().optional();
const optBool = z.boolean().optional();
/** AWS timestamps: ISO-8601 text in estates and JSON, Date objects from the SDK. */
const timestamp = z.union([z.string(), z.date().transform((d) => d.toISOString())]);

const list = <T extends z.ZodType>(item: T) => z.array(item).optional();

export const TagSchema = z.object({ Key: str, Value: z.string().default('') });
const tags = list(TagSchema);

// ---------------------------------------------------------------- EC2

export const IpRangeSchema = z.object({ CidrIp: str, Description: optStr });
export const Ipv6RangeSchema = z.object({ CidrIpv6: str, Description: optStr });
export const PrefixListIdSchema = z.object({ PrefixListId: str, Description: optStr });
export const UserIdGroupPairSchema = z.object({
  GroupId: optStr,
  GroupName: optStr,
  UserId: optStr,
  VpcId: optStr,
  VpcPeeringConnectionId: optStr,
  PeeringStatus: optStr,
  Description: optStr,
});

export const IpPermissionSchema = z.object({
  /** `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all. */
  IpProtocol: str,
  FromPort: optInt,
  ToPort: optInt,
  IpRanges: list(IpRangeSchema),
  Ipv6Ranges: list(Ipv6RangeSchema),
  PrefixListIds: list(PrefixListIdSchema),
  UserIdGroupPairs: list(UserIdGroupPairSchema),
});

export const SecurityGroupSchema = z.object({
  GroupId: str,
  GroupName: optStr,
  VpcId: optStr,
  OwnerId: optStr,
  Description: optStr,
  IpPermissions: list(IpPermissionSchema),
  IpPermissionsEgress: list(IpPermissionSchema),
  Tags: tags,
});

const NetworkInterfaceAssociationSchema = z.object({
  PublicIp: optStr,
  AllocationId: optStr,
  IpOwnerId: optStr,
});

export const NetworkInterfaceSchema = z.object({
  NetworkInterfaceId: str,
  SubnetId: optStr,
  VpcId: optStr,
  OwnerId: optStr,
  Status: optStr,
  InterfaceType: optStr,
  PrivateIpAddress: optStr,
  Groups: list(z.object({ GroupId: str, GroupName: optStr })),
  Association: NetworkInterfaceAssociationSchema.optional(),
  PrivateIpAddresses: list(
    z.object({
      PrivateIpAddress: optStr,
      Primary: optBool,
      Association: NetworkInterfaceAssociationSchema.optional(),
    }),
  ),
  Ipv6Addresses: list(z.object({ Ipv6Address: str })),
  Attachment: z
    .object({ InstanceId: optStr, InstanceOwnerId: optStr, Status: optStr, DeviceIndex: optInt })
    .optional(),
  /** DescribeNetworkInterfaces calls the tags `TagSet`. */
  TagSet: tags,
});

export const NetworkAclEntrySchema = z.object({
  RuleNumber: z.int(),
  /** A protocol number as a string (`"6"`, `"17"`, `"1"`, `"-1"`). */
  Protocol: str,
  RuleAction: str,
  Egress: z.boolean(),
  CidrBlock: optStr,
  Ipv6CidrBlock: optStr,
  PortRange: z.object({ From: optInt, To: optInt }).optional(),
  IcmpTypeCode: z.object({ Type: optInt, Code: optInt }).optional(),
});

export const NetworkAclSchema = z.object({
  NetworkAclId: str,
  VpcId: optStr,
  OwnerId: optStr,
  IsDefault: optBool,
  Entries: list(NetworkAclEntrySchema),
  Associations: list(z.object({ NetworkAclAssociationId: optStr, NetworkAclId: optStr, SubnetId: optStr })),
  Tags: tags,
});

export const RouteSchema = z.object({
  DestinationCidrBlock: optStr,
  DestinationIpv6CidrBlock: optStr,
  DestinationPrefixListId: optStr,
  GatewayId: optStr,
  EgressOnlyInternetGatewayId: optStr,
  NatGatewayId: optStr,
  TransitGatewayId: optStr,
  VpcPeeringConnectionId: optStr,
  NetworkInterfaceId: optStr,
  InstanceId: optStr,
  /** `active`, `blackhole` or `filtered`. */
  State: optStr,
  Origin: optStr,
});

export const RouteTableSchema = z.object({
  RouteTableId: str,
  VpcId: optStr,
  OwnerId: optStr,
  Routes: list(RouteSchema),
  Associations: list(
    z.object({
      RouteTableAssociationId: optStr,
      RouteTableId: optStr,
      SubnetId: optStr,
      GatewayId: optStr,
      Main: optBool,
    }),
  ),
  Tags: tags,
});

export const SubnetSchema = z.object({
  SubnetId: str,
  VpcId: optStr,
  OwnerId: optStr,
  SubnetArn: optStr,
  CidrBlock: optStr,
  AvailabilityZone: optStr,
  MapPublicIpOnLaunch: optBool,
  Ipv6CidrBlockAssociationSet: list(z.object({ Ipv6CidrBlock: optStr, AssociationId: optStr })),
  Tags: tags,
});

export const VpcSchema = z.object({
  VpcId: str,
  OwnerId: optStr,
  CidrBlock: optStr,
  IsDefault: optBool,
  State: optStr,
  Tags: tags,
});

export const InstanceSchema = z.object({
  InstanceId: str,
  State: z.object({ Name: optStr, Code: optInt }).optional(),
  SubnetId: optStr,
  VpcId: optStr,
  PublicIpAddress: optStr,
  PrivateIpAddress: optStr,
  NetworkInterfaces: list(z.object({ NetworkInterfaceId: str })),
  SecurityGroups: list(z.object({ GroupId: str, GroupName: optStr })),
  Tags: tags,
});

export const VolumeSchema = z.object({
  VolumeId: str,
  Encrypted: z.boolean(),
  KmsKeyId: optStr,
  State: optStr,
  Size: optInt,
  VolumeType: optStr,
  Attachments: list(
    z.object({ InstanceId: optStr, State: optStr, Device: optStr, DeleteOnTermination: optBool }),
  ),
  Tags: tags,
});

export const CreateVolumePermissionSchema = z.object({ Group: optStr, UserId: optStr });

export const SnapshotSchema = z.object({
  SnapshotId: str,
  VolumeId: optStr,
  OwnerId: optStr,
  Encrypted: z.boolean(),
  KmsKeyId: optStr,
  State: optStr,
  Tags: tags,
});

/** Estate form of a snapshot: the DescribeSnapshotAttribute answer rides along. */
export const EstateSnapshotSchema = SnapshotSchema.extend({
  CreateVolumePermissions: list(CreateVolumePermissionSchema),
});

export const VpcBlockPublicAccessOptionsSchema = z.object({
  /** `off`, `block-bidirectional` or `block-ingress`. */
  InternetGatewayBlockMode: optStr,
  State: optStr,
  ManagedBy: optStr,
  AwsAccountId: optStr,
  AwsRegion: optStr,
});

export const VpcBlockPublicAccessExclusionSchema = z.object({
  ExclusionId: optStr,
  /** `allow-bidirectional` or `allow-egress`. */
  InternetGatewayExclusionMode: optStr,
  ResourceArn: optStr,
  State: optStr,
});

export const PrefixListEntrySchema = z.object({ Cidr: str, Description: optStr });

export const ManagedPrefixListSchema = z.object({
  PrefixListId: str,
  PrefixListName: optStr,
  AddressFamily: optStr,
  OwnerId: optStr,
  State: optStr,
  MaxEntries: optInt,
});

/** Estate form: the GetManagedPrefixListEntries answer rides along. */
export const EstateManagedPrefixListSchema = ManagedPrefixListSchema.extend({
  Entries: list(PrefixListEntrySchema),
});

// ---------------------------------------------------------------- IAM

/** One credential-report row, keyed by CSV column name, values as the CSV writes them. */
export const CredentialReportRowSchema = z.record(z.string(), z.string());

export const VirtualMfaDeviceSchema = z.object({
  SerialNumber: str,
  User: z.object({ Arn: optStr, UserName: optStr, UserId: optStr }).optional(),
  EnableDate: timestamp.optional(),
});

export const PasswordPolicySchema = z.object({
  MinimumPasswordLength: optInt,
  RequireSymbols: optBool,
  RequireNumbers: optBool,
  RequireUppercaseCharacters: optBool,
  RequireLowercaseCharacters: optBool,
  AllowUsersToChangePassword: optBool,
  ExpirePasswords: optBool,
  MaxPasswordAge: optInt,
  PasswordReusePrevention: optInt,
  HardExpiry: optBool,
});

// ---------------------------------------------------------------- S3

export const PublicAccessBlockSchema = z.object({
  BlockPublicAcls: optBool,
  IgnorePublicAcls: optBool,
  BlockPublicPolicy: optBool,
  RestrictPublicBuckets: optBool,
});

export const GrantSchema = z.object({
  Grantee: z
    .object({ Type: optStr, URI: optStr, ID: optStr, DisplayName: optStr, EmailAddress: optStr })
    .optional(),
  Permission: optStr,
});

export const BucketAclSchema = z.object({
  Owner: z.object({ ID: optStr, DisplayName: optStr }).optional(),
  Grants: list(GrantSchema),
});

/** A bucket policy document as parsed JSON; its statements are analysed by the checks. */
export const PolicyDocumentSchema = z.looseObject({
  Version: optStr,
  Id: optStr,
  Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
});

export const OwnershipControlsSchema = z.object({
  Rules: z.array(z.object({ ObjectOwnership: str })),
});

export const ServerSideEncryptionConfigurationSchema = z.object({
  Rules: z.array(
    z.object({
      ApplyServerSideEncryptionByDefault: z.object({ SSEAlgorithm: str, KMSMasterKeyID: optStr }).optional(),
      BucketKeyEnabled: optBool,
    }),
  ),
});

export const VersioningSchema = z.object({ Status: optStr, MFADelete: optStr });

// ---------------------------------------------------------------- Organizations

export const OrganizationAccountSchema = z.object({
  Id: z.string().regex(/^\d{12}$/, 'a 12-digit account id'),
  Arn: optStr,
  Name: optStr,
  Email: optStr,
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`, `PENDING_ACTIVATION`. */
  State: optStr,
  JoinedTimestamp: timestamp.optional(),
});

export type Tag = z.infer<typeof TagSchema>;
export type IpPermission = z.infer<typeof IpPermissionSchema>;
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;
export type NetworkAclEntry = z.infer<typeof NetworkAclEntrySchema>;
export type NetworkAcl = z.infer<typeof NetworkAclSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type RouteTable = z.infer<typeof RouteTableSchema>;
export type Subnet = z.infer<typeof SubnetSchema>;
export type Vpc = z.infer<typeof VpcSchema>;
export type Instance = z.infer<typeof InstanceSchema>;
export type Volume = z.infer<typeof VolumeSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
export type CreateVolumePermission = z.infer<typeof CreateVolumePermissionSchema>;
export type VpcBlockPublicAccessOptions = z.infer<typeof VpcBlockPublicAccessOptionsSchema>;
export type VpcBlockPublicAccessExclusion = z.infer<typeof VpcBlockPublicAccessExclusionSchema>;
export type ManagedPrefixList = z.infer<typeof ManagedPrefixListSchema>;
export type PrefixListEntry = z.infer<typeof PrefixListEntrySchema>;
export type CredentialReportRow = z.infer<typeof CredentialReportRowSchema>;
export type VirtualMfaDevice = z.infer<typeof VirtualMfaDeviceSchema>;
export type PasswordPolicy = z.infer<typeof PasswordPolicySchema>;
export type PublicAccessBlock = z.infer<typeof PublicAccessBlockSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type BucketAcl = z.infer<typeof BucketAclSchema>;
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;
export type OwnershipControls = z.infer<typeof OwnershipControlsSchema>;
export type ServerSideEncryptionConfiguration = z.infer<typeof ServerSideEncryptionConfigurationSchema>;
export type Versioning = z.infer<typeof VersioningSchema>;
export type OrganizationAccount = z.infer<typeof OrganizationAccountSchema>;
