package io.tickwork.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

import io.tickwork.ScheduledJob;

/**
 * Keeps beans with {@link ScheduledJob} methods out of lazy initialisation, so that
 * {@code spring.main.lazy-initialization=true} does not hide jobs.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
class ScheduledJobLazyInitializationExcludeFilter implements LazyInitializationExcludeFilter {

	private final Map<Class<?>, Boolean> cache = new ConcurrentHashMap<>();

	@Override
	public boolean isExcluded(String beanName, BeanDefinition beanDefinition, Class<?> beanType) {
		return beanType != null && this.cache.computeIfAbsent(beanType, ScheduledJobLazyInitializationExcludeFilter::hasJobs);
	}

	private static boolean hasJobs(Class<?> type) {
		return AnnotationUtils.isCandidateClass(type, ScheduledJob.class) && !MethodIntrospector
			.selectMethods(type, (MethodIntrospector.MetadataLookup<ScheduledJob>) (method) -> AnnotatedElementUtils
				.findMergedAnnotation(method, ScheduledJob.class))
			.isEmpty();
	}

}
