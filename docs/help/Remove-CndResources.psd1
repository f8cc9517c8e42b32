@{
    Synopsis    = 'Deletes what CloudNonce created in a region: instances, security groups, the bucket''s objects and the bucket, and named key pairs.'
    Description = @'
Remove-CndResources finds, then removes, everything the module created in the region, in dependency order: it terminates the instances tagged cnd:created-by that are still live, deletes the module's security groups (waiting up to five minutes for terminating instances to let go of them), deletes the objects of the module's S3 bucket and then the bucket itself unless -KeepBucket, and deletes any key pairs named with -KeyPairName (such as those the original tool left behind).

With -SearchId, or piped objects that carry a SearchId, only those searches are removed: their instances, security groups and objects under searches/<id>/; the bucket and the shared scanner object stay. A pipeline that delivers no object removes nothing.

Each removed thing is written out as a CndRemovedResource (Kind, Id, SearchId, Action, Region); one per S3 object. Only what still exists is found, so running it again removes and reports nothing.

It asks for confirmation before each removal (ConfirmImpact High); -Force removes without asking, -WhatIf only reports what it would remove and changes nothing.

Roles and instance profiles are not removed: the module never creates them, and the IAM SDK is not part of its dependencies; remove those with the AWS console or CLI.
'@
    Parameters  = @{
        SearchId    = 'Removes only the resources of these searches. Binds from the SearchId property of piped objects (Get-CndFleet, Start-CndSearch results), each search once however many objects name it. Default: everything the module created in the region, the bucket included.'
        Bucket      = 'The module bucket to empty and delete. Default: cloudnonce-<account>-<region>, the bucket Start-CndSearch creates.'
        KeepBucket  = 'Keeps the bucket (with its encryption and public access block) and deletes only its objects.'
        KeyPairName = 'Names of EC2 key pairs to delete as well, for example those left by the original tool. Names that do not exist are ignored.'
        Force       = 'Removes without asking for confirmation. -Confirm still asks; -WhatIf still changes nothing.'
    }
    Examples    = @(
        @{ Code = 'Remove-CndResources -WhatIf'; Remarks = 'Lists everything the module created in the default region that would be removed, and removes nothing.' }
        @{ Code = 'Remove-CndResources -Force -KeyPairName cloudnonce-key'; Remarks = 'Removes everything the module created, and the key pair the original tool created, without asking; prints each removed thing.' }
        @{ Code = 'Get-CndFleet -SearchId cnd-20261125120000-ab12cd | Remove-CndResources -Force'; Remarks = 'Terminates that search''s instances and deletes its security group and reports; other searches and the bucket stay.' }
        @{ Code = 'Remove-CndResources -KeepBucket -Region eu-west-2'; Remarks = 'Empties the bucket but keeps it, after asking for each removal.' }
    )
    Inputs      = 'Objects with a SearchId property select the searches to remove.'
    Outputs     = 'CndRemovedResource: Kind (Instance, SecurityGroup, S3Objects, S3Bucket, KeyPair), Id, SearchId, Action (Terminated or Deleted), Region.'
    Links       = @('Get-CndFleet', 'Start-CndSearch')
}
