NC.data("search/terms/63-79",{"cyberattacks":[142]});
