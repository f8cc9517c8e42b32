# Remove-CndResources against loopback AWS (moto + the instance runner): what searches leave behind
# (security groups, the bucket and its objects) and what the original tool left (key pairs).

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    $script:bucket = "cloudnonce-123456789012-$($aws.Region)"

    # A search whose instances still held its security group when it ended leaves the group behind
    # (the next search, or Remove-CndResources, removes it): each quick search here leaves one.
    function Invoke-QuickSearch {
        $result = Start-CndSearch -Provider EC2 -Difficulty 12 -VMCount 1 -NonceEnd 99999 -TimeLimit 60
        $null = New-TestLeftoverGroup $result.SearchId
        $result
    }

    # What the module has in the account, for before/after comparisons.
    function Get-ModuleFootprint {
        [pscustomobject]@{
            LiveInstances  = @(Get-TestInstanceState | Where-Object { $_ -notin 'shutting-down', 'terminated' }).Count
            SecurityGroups = @(Get-TestModuleSecurityGroup).Count
            Buckets        = @(Get-TestBucketName | Where-Object { $_ -eq $bucket }).Count
            Objects        = if ($bucket -in (Get-TestBucketName)) { @(Get-TestObjectKey $bucket).Count } else { 0 }
            KeyPairs       = @(Get-TestKeyPairName).Count
        }
    }
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'Remove-CndResources' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It '-WhatIf changes nothing' {
        $null = Invoke-QuickSearch
        New-TestKeyPair 'original-tool-key'
        $before = Get-ModuleFootprint
        $before.SecurityGroups | Should -Be 1
        $before.Objects | Should -BeGreaterThan 2

        $output = @(Remove-CndResources -KeyPairName 'original-tool-key' -WhatIf)

        $output.Count | Should -Be 0
        (Get-ModuleFootprint | ConvertTo-Json) | Should -Be ($before | ConvertTo-Json)
    }

    It 'removes everything the module created, reports each thing, and a second run finds nothing' {
        $first = Invoke-QuickSearch
        $second = Invoke-QuickSearch
        New-TestKeyPair 'original-tool-key'

        $removed = @(Remove-CndResources -KeyPairName 'original-tool-key' -Force)

        ($removed | Where-Object Kind -eq 'SecurityGroup').SearchId | Sort-Object | Should -Be (@($first.SearchId, $second.SearchId) | Sort-Object)
        @($removed | Where-Object Kind -eq 'S3Bucket').Id | Should -Be $bucket
        @($removed | Where-Object Kind -eq 'KeyPair').Id | Should -Be 'original-tool-key'
        $objects = @($removed | Where-Object Kind -eq 'S3Objects')
        $objects.Id | Should -Contain "s3://$bucket/searches/$($first.SearchId)/launch-0.json"
        @($objects.Id | Where-Object { $_ -like "s3://$bucket/scanners/*/cnd-scan" }).Count | Should -Be 1
        $removed.Region | Sort-Object -Unique | Should -Be $aws.Region
        $removed.Action | Sort-Object -Unique | Should -Be 'Deleted'

        $after = Get-ModuleFootprint
        $after.LiveInstances | Should -Be 0
        $after.SecurityGroups | Should -Be 0
        $after.Buckets | Should -Be 0
        $after.KeyPairs | Should -Be 0

        @(Remove-CndResources -KeyPairName 'original-tool-key' -Force).Count | Should -Be 0 -Because 'removal is idempotent'
    }

    It 'removes one search''s resources and leaves the others and the bucket' {
        $keep = Invoke-QuickSearch
        $drop = Invoke-QuickSearch

        $removed = @(Remove-CndResources -SearchId $drop.SearchId -Force)

        $removed.SearchId | Sort-Object -Unique | Should -Be $drop.SearchId
        @(Get-TestModuleSecurityGroup).Count | Should -Be 1
        $keys = Get-TestObjectKey $bucket
        @($keys | Where-Object { $_ -like "searches/$($drop.SearchId)/*" }).Count | Should -Be 0
        @($keys | Where-Object { $_ -like "searches/$($keep.SearchId)/*" }).Count | Should -BeGreaterThan 0
        @($keys | Where-Object { $_ -like 'scanners/*' }).Count | Should -Be 1 -Because 'the scanner is shared by every search'
    }

    It '-KeepBucket empties the bucket but keeps it' {
        $null = Invoke-QuickSearch
        $removed = @(Remove-CndResources -KeepBucket -Force)
        @($removed | Where-Object Kind -eq 'S3Bucket').Count | Should -Be 0
        (Get-ModuleFootprint).Buckets | Should -Be 1
        (Get-ModuleFootprint).Objects | Should -Be 0
    }

    It 'removes nothing when the pipeline delivers no search' {
        $null = Invoke-QuickSearch
        $before = Get-ModuleFootprint
        @(@() | Remove-CndResources -Force).Count | Should -Be 0
        (Get-ModuleFootprint | ConvertTo-Json) | Should -Be ($before | ConvertTo-Json)
    }

    It 'asks before removing (ConfirmImpact High) unless -Force' {
        $command = Get-Command Remove-CndResources
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $metadata = [System.Management.Automation.CommandMetadata]::new($command)
        $metadata.ConfirmImpact | Should -Be 'High'
        $metadata.SupportsShouldProcess | Should -BeTrue
    }
}
