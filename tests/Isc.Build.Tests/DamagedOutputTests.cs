using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// Files added to or deleted from a built folder output are noticed by the up-to-date check (through the folders'
/// modification times, then a listing), without listing the folder on every build.
/// </summary>
[TestFixture, NonParallelizable]
public class DamagedOutputTests
{
    string _root = "";
    string Demo => Path.Combine(_root, "demo");
    const string Dataset = "Dataset:isc_100k_256_big";
    string Images => Path.Combine(Demo, "datasets", "isc_100k_256_big", "isc_100k_256_big");

    [OneTimeSetUp]
    public void BuildDataset()
    {
        _root = Harness.TempRoot("damage");
        var r = Build($"--target={Dataset}");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        if (_root != "" && Directory.Exists(_root)) try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    Harness.Result Build(params string[] extra) => Harness.Build([.. extra, "--profile=demo", $"--artifacts={_root}"]);

    [Test, Order(1)]
    public void Touching_the_image_folder_without_a_change_rebuilds_nothing()
    {
        Directory.SetLastWriteTimeUtc(Images, DateTime.UtcNow.AddMinutes(3));
        var again = Build($"--target={Dataset}");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        Assert.That(Harness.Built(again.Output), Is.Empty, again.Output);
    }

    [Test, Order(2)]
    public void A_deleted_image_makes_the_dataset_stale_verify_names_the_repair_and_a_build_regenerates_it()
    {
        var victim = Path.Combine(Images, "3_7.jpg");
        Assert.That(File.Exists(victim), victim);
        File.Delete(victim);

        var plan = Build("--target=Plan");
        Assert.That(plan.Output, Does.Match($@"{Dataset}\s+stale\s+output datasets/isc_100k_256_big: 1 file\(s\) missing since it was built \(e\.g\. isc_100k_256_big/3_7\.jpg\)"), plan.Output);

        var verify = Build("--target=Verify");
        Assert.That(verify.ExitCode, Is.Not.EqualTo(0), verify.ToString());
        Assert.That(verify.Output, Does.Contain($"./build.sh --profile=demo --artifacts={_root} --target=Clean:{Dataset}"), verify.Output);

        var rebuilt = Build($"--target={Dataset}");
        Assert.That(Harness.Built(rebuilt.Output), Is.EqualTo(new[] { Dataset }), rebuilt.Output);
        Assert.That(File.Exists(victim), "the deleted image is generated again");
        Assert.That(Harness.Built(Build($"--target={Dataset}").Output), Is.Empty);
    }

    [Test, Order(3)]
    public void A_deleted_image_folder_makes_the_dataset_stale_and_a_build_regenerates_it()
    {
        var count = Directory.GetFiles(Images).Length;
        Directory.Delete(Images, recursive: true);

        var plan = Build("--target=Plan");
        Assert.That(plan.Output, Does.Match($@"{Dataset}\s+stale\s+output datasets/isc_100k_256_big: {count} file\(s\) missing since it was built"), plan.Output);

        var rebuilt = Build($"--target={Dataset}");
        Assert.That(Harness.Built(rebuilt.Output), Is.EqualTo(new[] { Dataset }), rebuilt.Output);
        Assert.That(Directory.GetFiles(Images), Has.Length.EqualTo(count));
    }

    [Test, Order(4)]
    public void An_added_file_makes_the_dataset_stale()
    {
        File.WriteAllText(Path.Combine(Images, "999_0.jpg"), "not an image");
        var plan = Build("--target=Plan");
        Assert.That(plan.Output, Does.Match($@"{Dataset}\s+stale\s+output datasets/isc_100k_256_big: 1 file\(s\) added since it was built \(e\.g\. isc_100k_256_big/999_0\.jpg\)"), plan.Output);
    }

    [Test, Order(10)]
    public void An_added_file_is_flagged_by_verify_and_removed_by_the_rebuild()
    {
        Assert.That(Build($"--target={Dataset}").ExitCode, Is.EqualTo(0), "a built dataset to start from");
        // An extra {id}_{k}.jpg would be trained on as a class of its own: Verify names it, the rebuild removes it.
        var stray = Path.Combine(Images, "998_0.jpg");
        File.Copy(Path.Combine(Images, "0_0.jpg"), stray);
        var verify = Build("--target=Verify");
        Assert.That(verify.ExitCode, Is.Not.EqualTo(0), verify.ToString());
        Assert.That(verify.Output, Does.Contain("1 file(s) the manifest does not list, e.g. isc_100k_256_big/998_0.jpg"));

        var rebuilt = Build($"--target={Dataset}");
        Assert.That(rebuilt.ExitCode, Is.EqualTo(0), rebuilt.ToString());
        Assert.That(File.Exists(stray), Is.False, "the stray image is still in the dataset");
        Assert.That(File.ReadAllText(Path.Combine(Demo, ".logs", "Dataset@isc_100k_256_big.log")),
            Does.Contain("removed 1 file(s) that are not images of this dataset, e.g. 998_0.jpg"));
        Assert.That(Build("--target=Verify").ExitCode, Is.EqualTo(0));
    }
}
