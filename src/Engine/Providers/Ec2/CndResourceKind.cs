namespace CloudNonce.Engine.Providers.Ec2;

public enum CndResourceKind { Instance, SecurityGroup, S3Objects, S3Bucket, KeyPair }
