// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup compat shim: mock_drm_getfile() reimplemented on exported API,
 * for kernels whose drm.ko lacks the test-only export (CONFIG_DRM_EXPORT_FOR_TESTS
 * unset). Upstream: drivers/gpu/drm/drm_file.c, mock_drm_getfile() and
 * drm_file_alloc() (see include/drm/drm_file.h of this shim for the commit).
 *
 * selftest-only: never linked into the production module.
 *
 * drm_file_alloc() is internal to drm.ko, so its initialisation is repeated here
 * field by field (identical in 6.1 and 6.12 except the pid/client_id lines). The
 * file is released by the driver's own fops (drm_release -> drm_file_free), which
 * undoes exactly what drm_file_alloc() did, so the struct must look the same.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/version.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>	/* the shim: maps mock_drm_getfile to our name */

/*
 * What the allocation below set up before the driver's open: the two idrs, the pid
 * reference and the structure. file->pid became an __rcu pointer in 6.4 ("drm: Update
 * file owner during use"); a version test because this selftest-only file has no
 * probe of its own (a probe would cost a kbuild run for test code only).
 */
static void i915_dkms_drm_file_free_bare(struct drm_file *file)
{
	idr_destroy(&file->syncobj_idr);
	idr_destroy(&file->object_idr);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	put_pid(rcu_access_pointer(file->pid));
#else
	put_pid(file->pid);
#endif
	kfree(file);
}

static struct drm_file *i915_dkms_drm_file_alloc(struct drm_minor *minor)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	static atomic64_t ident = ATOMIC64_INIT(0);
#endif
	struct drm_device *dev = minor->dev;
	struct drm_file *file;
	int ret;

	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return ERR_PTR(-ENOMEM);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	/* 6.12: drm_file.pid is __rcu and client_id exists; 6.1: neither (checked on both) */
	file->client_id = atomic64_inc_return(&ident);
	rcu_assign_pointer(file->pid, get_pid(task_tgid(current)));
#else
	file->pid = get_pid(task_pid(current));
#endif
	file->minor = minor;
	file->authenticated = capable(CAP_SYS_ADMIN);

	INIT_LIST_HEAD(&file->lhead);
	INIT_LIST_HEAD(&file->fbs);
	mutex_init(&file->fbs_lock);
	INIT_LIST_HEAD(&file->blobs);
	INIT_LIST_HEAD(&file->pending_event_list);
	INIT_LIST_HEAD(&file->event_list);
	init_waitqueue_head(&file->event_wait);
	file->event_space = 4096;

	spin_lock_init(&file->master_lookup_lock);
	mutex_init(&file->event_read_lock);

	/* drm_gem_open() */
	if (drm_core_check_feature(dev, DRIVER_GEM)) {
		idr_init_base(&file->object_idr, 1);
		spin_lock_init(&file->table_lock);
	}
	/* drm_syncobj_open() */
	if (drm_core_check_feature(dev, DRIVER_SYNCOBJ)) {
		idr_init_base(&file->syncobj_idr, 1);
		spin_lock_init(&file->syncobj_table_lock);
	}
	/* drm_prime_init_file_private() */
	mutex_init(&file->prime.lock);
	file->prime.dmabufs = RB_ROOT;
	file->prime.handles = RB_ROOT;

	if (dev->driver->open) {
		ret = dev->driver->open(dev, file);
		if (ret < 0)
			goto err;
	}
	return file;

err:
	/* nothing was added to the idrs yet */
	i915_dkms_drm_file_free_bare(file);
	return ERR_PTR(ret);
}

static void i915_dkms_drm_file_free_unused(struct drm_file *file)
{
	struct drm_device *dev = file->minor->dev;

	if (dev->driver->postclose)
		dev->driver->postclose(dev, file);
	i915_dkms_drm_file_free_bare(file);
}

struct file *mock_drm_getfile(struct drm_minor *minor, unsigned int flags)
{
	struct drm_device *dev = minor->dev;
	struct drm_file *priv;
	struct file *file;

	priv = i915_dkms_drm_file_alloc(minor);
	if (IS_ERR(priv))
		return ERR_CAST(priv);

	file = anon_inode_getfile("drm", dev->driver->fops, priv, flags);
	if (IS_ERR(file)) {
		i915_dkms_drm_file_free_unused(priv);
		return file;
	}

	/* Everyone shares a single global address space */
	file->f_mapping = dev->anon_inode->i_mapping;

	drm_dev_get(dev);
	priv->filp = file;

	return file;
}
