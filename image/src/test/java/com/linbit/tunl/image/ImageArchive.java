package com.linbit.tunl.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A docker-archive image tar as a container runtime reads it: the manifest, the config its digest
 * names, and the layers unpacked in order into one root filesystem.
 */
final class ImageArchive {

    private final Path unpacked;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageArchive(Path unpacked, JsonNode manifest, JsonNode config) {
        this.unpacked = unpacked;
        this.manifest = manifest;
        this.config = config;
    }

    static ImageArchive open(Path tar, Path workDirectory) throws IOException, InterruptedException {
        Path unpacked = Files.createDirectories(workDirectory.resolve("archive"));
        run("tar", "-xf", tar.toString(), "-C", unpacked.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        JsonNode config = json.readTree(unpacked.resolve(manifest.get("Config").asString()).toFile());
        return new ImageArchive(unpacked, manifest, config);
    }

    JsonNode config() {
        return config.get("config");
    }

    JsonNode document() {
        return config;
    }

    String configFileName() {
        return manifest.get("Config").asString();
    }

    List<String> repoTags() {
        List<String> tags = new ArrayList<>();
        manifest.get("RepoTags").forEach(tag -> tags.add(tag.asString()));
        return tags;
    }

    List<Path> layers() {
        List<Path> layers = new ArrayList<>();
        manifest.get("Layers").forEach(layer -> layers.add(unpacked.resolve(layer.asString())));
        return layers;
    }

    List<String> diffIds() {
        List<String> ids = new ArrayList<>();
        config.get("rootfs").get("diff_ids").forEach(id -> ids.add(id.asString()));
        return ids;
    }

    Path file(String name) {
        return unpacked.resolve(name);
    }

    /** The digest a runtime checks each layer against: of the uncompressed tar. */
    static String diffId(Path gzippedLayer) throws IOException {
        return "sha256:" + sha256(new GZIPInputStream(Files.newInputStream(gzippedLayer)));
    }

    static String sha256Of(Path file) throws IOException {
        return sha256(Files.newInputStream(file));
    }

    private static String sha256(InputStream content) throws IOException {
        try (DigestInputStream in = new DigestInputStream(content, sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    /** Unpacks every layer in order, keeping owners and modes as a runtime does (needs root). */
    Path unpackRootFilesystem(Path target) throws IOException, InterruptedException {
        Files.createDirectories(target);
        for (Path layer : layers()) {
            run("tar", "--numeric-owner", "--same-owner", "-xpzf", layer.toString(), "-C", target.toString());
        }
        return target;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
