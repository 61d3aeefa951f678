NC.data("search/terms/72-6f",{"roadside":[53,57,278],"rockets":[106,227,259,276],"role":[29,30,64,153,275,277,278],"roles":[30],"rose":[232]});
